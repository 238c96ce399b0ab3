/**
 * The seeded media kinds of axon-buffer: {@code pcm16}, {@code mulaw8}, {@code wav}, {@code mp3},
 * {@code opus}, {@code jpeg}, {@code png}, {@code webp}, {@code mp4}, {@code quicktime}, {@code
 * 3gpp}, {@code 3gpp2}, {@code heic}, {@code avif}, {@code webm}, {@code pdf}, {@code json} and
 * {@code csv}, with their sniffers and inspectors, and the G.711 μ-law and WAV transcoders.
 * Everything is found through {@link java.util.ServiceLoader}: put the module on the path and
 * {@code BufferKindRegistry.global()} and {@code Transcoders.global()} see it.
 */
module io.axon.buffer.kinds.media {
  requires transitive io.axon.buffer.api;
  requires io.axon.buffer.core;
  requires static com.google.auto.service;

  exports io.axon.buffer.kinds.media;

  provides io.axon.buffer.spi.BufferKindProvider with
      io.axon.buffer.kinds.media.MediaKindProvider;
  provides io.axon.buffer.spi.BufferTranscoder with
      io.axon.buffer.kinds.media.MulawToPcm16Transcoder,
      io.axon.buffer.kinds.media.Pcm16ToMulawTranscoder,
      io.axon.buffer.kinds.media.Pcm16ToWavTranscoder,
      io.axon.buffer.kinds.media.WavToPcm16Transcoder,
      io.axon.buffer.kinds.media.WavToMulawTranscoder;
}
