package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An application picks the modules it wants: with api + core alone it runs and knows {@code raw}
 * only; adding the media JAR to its class path (nothing else changes) adds the media kinds and
 * transcoders. Each class path is its own JVM, built from the JARs Maven packaged.
 */
class PickAndChooseIT {

  private static final String MAIN = "org.example.kindsapp.KindsApp";

  static final List<String> MEDIA_KINDS =
      List.of(
          "3gpp",
          "3gpp2",
          "avif",
          "csv",
          "heic",
          "jpeg",
          "json",
          "mp3",
          "mp4",
          "mulaw8",
          "opus",
          "pcm16",
          "pdf",
          "png",
          "quicktime",
          "wav",
          "webm",
          "webp");

  private static String[] files() {
    return new String[] {
      ItEnv.sample("photo.jpg").toString(),
      ItEnv.sample("hello-8k.wav").toString(),
      ItEnv.sample("hello-8k.ul").toString()
    };
  }

  @Test
  void apiAndCoreAloneRunAndKnowRawOnly() {
    Jvm.Result r =
        Jvm.classPath(List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core()), MAIN, files())
            .assertSuccess();
    assertEquals(List.of("raw"), r.column("kind", 0), r.toString());
    assertEquals("<built-in>", r.row("kind").get(1));
    assertEquals(List.of(), r.rows("transcoder"), r.toString());
    assertEquals(List.of(), r.rows("problem"), r.toString());
    // The bytes still land in pooled memory and are hashed; nothing recognises them.
    for (List<String> file : r.rows("file")) {
      assertEquals("raw", file.get(1), r.toString());
      assertEquals("0", file.get(2), r.toString());
    }
    assertEquals(
        ItEnv.sha256(ItEnv.bytes(ItEnv.sample("photo.jpg"))), r.rows("file").get(0).get(4));
    assertEquals(List.of("liveBytes=0"), r.row("pool"));
    assertEquals("", r.err(), r.toString());
  }

  @Test
  void addingTheMediaJarAddsTheMediaKindsAndTranscoders() {
    Path media = ItEnv.media();
    Jvm.Result r =
        Jvm.classPath(List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core(), media), MAIN, files())
            .assertSuccess();
    TreeSet<String> expected = new TreeSet<>(MEDIA_KINDS);
    expected.add("raw");
    assertEquals(List.copyOf(expected), r.column("kind", 0), r.toString());
    for (List<String> kind : r.rows("kind")) {
      if (!kind.get(0).equals("raw")) {
        assertEquals("io.axon.buffer.kinds.media.MediaKindProvider", kind.get(1));
        assertTrue(kind.get(2).endsWith("/axon-buffer-kinds-media.jar"), kind.toString());
      }
    }
    assertTrue(
        r.column("transcoder", 0).containsAll(List.of("mulaw8->pcm16", "pcm16->wav", "wav->pcm16")),
        r.toString());
    assertEquals(List.of(), r.rows("problem"), r.toString());

    List<List<String>> rows = r.rows("file");
    assertEquals(List.of("photo.jpg", "jpeg", "100"), rows.get(0).subList(0, 3));
    assertTrue(rows.get(0).get(5).contains("width=96, height=64"), rows.get(0).toString());
    assertEquals(List.of("hello-8k.wav", "wav", "100"), rows.get(1).subList(0, 3));
    assertTrue(rows.get(1).get(5).contains("sampleRate=8000"), rows.get(1).toString());
    // headerless: chosen by its name only because nothing scored
    assertEquals(List.of("hello-8k.ul", "mulaw8", "0"), rows.get(2).subList(0, 3));
    assertEquals(List.of("liveBytes=0"), r.row("pool"));
  }
}
