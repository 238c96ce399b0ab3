package io.axon.buffer.cli;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.NoTranscoderPathException;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.TranscoderRegistration;
import io.axon.buffer.Transcoders;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MappedFiles;
import io.axon.buffer.ingest.PooledReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code axon-buffer transcode}: converts IN to kind {@code --to} through the shortest chain of
 * transcoders, and to the sample rate {@code --to-rate} when it is given (the chain then runs
 * through a rate step: {@code pcm16 → pcm16}, {@code wav → wav}). A regular file is mapped (no
 * copy); stdin, devices, named pipes and {@code /proc} files are read into pooled memory (see
 * {@link SpecialFiles}); the result is written with one (gathering) write to OUT as {@link
 * OutputTarget} says: a regular file is replaced only when everything succeeded, a device or pipe
 * is written into.
 */
@Command(
    name = "transcode",
    mixinStandardHelpOptions = true,
    description =
        "Convert IN to kind --to through the shortest chain of transcoders (mulaw8 <->"
            + " pcm16, pcm16 -> wav, wav -> pcm16/mulaw8, ...), and to the sample rate --to-rate"
            + " through a rate step (pcm16 -> pcm16, wav -> wav: a polyphase windowed-sinc"
            + " filter). Without --from, IN's kind is detected (from its bytes, and its name for"
            + " headerless kinds such as .ul). '-' reads stdin or writes stdout.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  axon-buffer transcode --to pcm16 samples/hello-8k.ul /tmp/hello.pcm",
      "  axon-buffer transcode --to wav --rate 8000 --channels 1 /tmp/hello.pcm /tmp/hello.wav",
      "  cat call.raw | axon-buffer transcode --from mulaw8 --to wav --rate 8000 - call.wav",
      "  axon-buffer transcode --to pcm16 --rate 8000 --to-rate 16000 /tmp/hello.pcm /tmp/16k.pcm",
      "  axon-buffer transcode --to wav --to-rate 16000 samples/hello-8k.wav /tmp/hello-16k.wav"
    })
final class TranscodeCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "KIND",
      description = "The kind to produce.")
  String to;

  @Option(names = "--from", paramLabel = "KIND", description = "IN's kind (default: detected).")
  String from;

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      description = "Sample rate of headerless audio (pcm16, mulaw8); a WAV's is in its header.")
  Integer rate;

  @Option(
      names = "--to-rate",
      paramLabel = "HZ",
      description = "Convert the audio to this sample rate (from --rate, or from a WAV's header).")
  Integer toRate;

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Channel count of headerless audio.")
  Integer channels;

  @Mixin InputOptions.PipeWait pipeWait;
  @Mixin InputOptions.StreamLimit streamLimit;

  /** True once IN is mapped: a fault reading the mapping means the file shrank. */
  private boolean mapped;

  @Parameters(index = "0", paramLabel = "IN", description = "Input file, or - for stdin.")
  String in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output file, or - for stdout.")
  String out;

  @Override
  public Integer call() throws IOException {
    Plugins.load(main.pluginDirs(plugins), spec.commandLine().getErr());
    BufferKindRegistry registry = BufferKindRegistry.global();
    BufferKind target = knownKind("--to", to, registry);
    BufferKind declared = from == null ? null : knownKind("--from", from, registry);
    TranscodeOptions options = options();
    Transcoders transcoders = Transcoders.global();
    try (SlabBufferPool pool = SlabBufferPool.builder().name("transcode").build();
        ZeroCopyBuffer input = read(pool)) {
      BufferKind source = declared != null ? declared : detect(registry, input);
      try (ZeroCopyBuffer result = transcoders.transcode(input, source, target, options, pool)) {
        new OutputTarget(out, main.stdout(), pipeWait.duration()).write(result);
      }
    } catch (InternalError e) {
      if (!mapped || !MappedFaults.isMappedFileFault(e)) {
        throw e;
      }
      throw new BadInput(
          "FileChangedException",
          inName() + ": the file shrank while it was read (truncated by another process)",
          e);
    } catch (NoTranscoderPathException e) {
      throw new UsageError(e.getMessage());
    } catch (MalformedContentException e) {
      throw new BadInput("MalformedContentException", inName() + ": " + e.getMessage(), e);
    } catch (UnsupportedContentException e) {
      throw new BadInput("UnsupportedContentException", inName() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      String hint =
          m.contains("needs the sample rate")
              ? " (give --rate HZ)"
              : m.contains("channel") ? " (give --channels N)" : "";
      throw new UsageError(m + hint);
    }
    return Main.OK;
  }

  /**
   * The declared kind {@code slug}. A kind only a transcoder names gets a message saying what is
   * missing: a provider that declares it.
   */
  private static BufferKind knownKind(String option, String slug, BufferKindRegistry registry) {
    if (!BufferKind.isValidSlug(slug) || registry.descriptor(slug).isEmpty()) {
      String transcoder = BufferKind.isValidSlug(slug) ? transcoderOf(BufferKind.of(slug)) : null;
      if (transcoder != null) {
        throw new UsageError(
            option
                + ": kind '"
                + slug
                + "' is converted by "
                + transcoder
                + " but declared by no kind provider: the plugin must also declare it with a"
                + " BufferKindProvider (axon-buffer transcoders marks such kinds 'undeclared')");
      }
      throw new UsageError(option + ": unknown kind '" + slug + "' (axon-buffer kinds lists them)");
    }
    return BufferKind.of(slug);
  }

  /** The class of a loaded transcoder from or to {@code kind}, or null. */
  private static String transcoderOf(BufferKind kind) {
    for (TranscoderRegistration r : Transcoders.global().registrations()) {
      if (r.from().equals(kind) || r.to().equals(kind)) {
        return r.className();
      }
    }
    return null;
  }

  private TranscodeOptions options() {
    TranscodeOptions o = TranscodeOptions.none();
    try {
      if (rate != null) {
        o = o.withRate(rate);
      }
      if (channels != null) {
        o = o.withChannels(channels);
      }
      if (toRate != null) {
        o = o.withTargetRate(toRate);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    return o;
  }

  /**
   * IN: a regular file is mapped (no copy); stdin and files with no size to map (devices, named
   * pipes, {@code /proc} files) are read into pooled memory up to {@code --stream-limit}.
   */
  private ZeroCopyBuffer read(SlabBufferPool pool) throws IOException {
    long limit = streamLimit.bytes();
    try {
      if (in.equals("-")) {
        return PooledReader.read(main.stdin(), pool, limit);
      }
      Path file = PathNames.path("IN", in);
      if (SpecialFiles.readAsStream(file)) {
        return SpecialFiles.read(file, pool, limit, pipeWait.duration());
      }
      mapped = true;
      return MappedFiles.map(file);
    } catch (SizeLimitExceededException e) {
      String which = mapped ? "the largest file mapped" : "the --stream-limit";
      throw new BadInput(
              "SizeLimitExceededException",
              inName() + ": larger than " + which + " of " + e.limitBytes() + " bytes",
              e)
          .with("limit", e.limitBytes());
    } catch (IOException e) {
      throw BadInput.of(e, "cannot read " + inName());
    }
  }

  /** IN as printed: its real name, or "standard input". */
  private String inName() {
    return PathNames.display("IN", in);
  }

  private BufferKind detect(BufferKindRegistry registry, ZeroCopyBuffer input) {
    Detection d =
        registry.detect(
            input, in.equals("-") ? null : PathNames.path("IN", in).getFileName().toString());
    if (d.kind().isRaw()) {
      throw new BadInput(
          "UnknownKind",
          "cannot tell the kind of "
              + inName()
              + " (no signature"
              + (in.equals("-") ? "" : ", no known extension")
              + "); give it with --from",
          null);
    }
    return d.kind();
  }
}
