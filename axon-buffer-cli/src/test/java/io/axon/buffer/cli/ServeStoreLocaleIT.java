package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --store} under the C locale, where the JVM encodes file names in ASCII: a client's
 * non-ASCII file name cannot be spelled on the file system. Found by the reliability work: the
 * path's {@code InvalidPathException} escaped the upload and the client got no answer at all. It is
 * now stored under a made-up name, and the answer says which.
 */
class ServeStoreLocaleIT {

  static final String BOUNDARY = "locale-77e1";

  @TempDir Path tmp;

  @Test
  void aFileNameTheFileSystemCannotSpellIsStoredUnderAMadeUpName() throws Exception {
    Path store = Files.createDirectories(tmp.resolve("store"));
    byte[] content = "bonjour".getBytes(StandardCharsets.US_ASCII);
    byte[] body =
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"f\"; "
                + "filename*=UTF-8''%C3%A9t%C3%A9-%E6%97%A5%E6%9C%AC.txt\r\n\r\nbonjour\r\n--"
                + BOUNDARY
                + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (ServeProcess serve =
        ServeProcess.start(
            List.of("-Xmx64m"),
            List.of("--store", store.toString()),
            Map.of("LC_ALL", "C", "LANG", "C"))) {
      for (int round = 0; round < 2; round++) {
        HttpResponse<String> r =
            serve.send(
                HttpRequest.newBuilder(serve.uri("/upload"))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-Tenant", "acme")
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
        assertEquals(200, r.statusCode(), r.body() + serve.stderr());
        Map<?, ?> part = (Map<?, ?>) ((List<?>) JsonReader.object(r.body()).get("parts")).get(0);
        assertEquals("été-日本.txt", part.get("filename"));
        String storedAs = (String) part.get("storedAs");
        assertTrue(storedAs.matches("acme/\\d+-part0"), storedAs);
        assertArrayEquals(content, Files.readAllBytes(store.resolve(storedAs)));
      }
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }
}
