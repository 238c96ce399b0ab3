package io.axon.buffer.cli;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.NoTranscoderPathException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.TranscoderRegistration;
import io.axon.buffer.Transcoders;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MappedFiles;
import io.axon.buffer.ingest.PooledReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * through a rate step: {@code pcm16 → pcm16}, {@code wav → wav}). A file is mapped (no copy); stdin
 * is read into pooled memory; the result is written with one (gathering) write to OUT, through a
 * temporary file that replaces OUT only when everything succeeded.
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
        write(result);
      }
    } catch (NoTranscoderPathException e) {
      throw new UsageError(e.getMessage());
    } catch (MalformedContentException e) {
      throw new BadInput("MalformedContentException", in + ": " + e.getMessage(), e);
    } catch (UnsupportedContentException e) {
      throw new BadInput("UnsupportedContentException", in + ": " + e.getMessage(), e);
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

  private ZeroCopyBuffer read(SlabBufferPool pool) throws IOException {
    if (in.equals("-")) {
      return PooledReader.read(main.stdin(), pool, MappedFiles.MAX_FILE_BYTES);
    }
    try {
      return MappedFiles.map(Path.of(in));
    } catch (NoSuchFileException e) {
      throw new BadInput("NoSuchFileException", "cannot read " + in + ": no such file", e);
    }
  }

  private BufferKind detect(BufferKindRegistry registry, ZeroCopyBuffer input) {
    Detection d =
        registry.detect(input, in.equals("-") ? null : Path.of(in).getFileName().toString());
    if (d.kind().isRaw()) {
      throw new BadInput(
          "UnknownKind",
          "cannot tell the kind of "
              + in
              + " (no signature"
              + (in.equals("-") ? "" : ", no known extension")
              + "); give it with --from",
          null);
    }
    return d.kind();
  }

  private void write(ZeroCopyBuffer result) throws IOException {
    if (out.equals("-")) {
      WritableByteChannel stdout = Channels.newChannel(main.stdout());
      result.writeTo(stdout);
      main.stdout().flush();
      return;
    }
    Path target = Path.of(out).toAbsolutePath();
    // Written beside the target, then moved over it: a failed run never leaves half a file. Not
    // Files.createTempFile, whose 0600 would make the output unreadable to others: the new file
    // gets the umask's permissions like any file a tool writes, an existing target keeps its own.
    Path tmp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36)
                + ".part");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        result.writeTo(ch);
      }
      keepPermissions(target, tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Gives {@code tmp} the POSIX permissions of {@code target} when it exists (and the file system
   * has them).
   */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
  }
}
