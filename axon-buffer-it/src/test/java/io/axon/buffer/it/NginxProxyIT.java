package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * A real reverse proxy in front of {@code serve}: nginx in a container (Testcontainers), reaching
 * the command on the host through {@code Testcontainers.exposeHostPorts}, with request buffering
 * off so that the chunked uploads stream through it. The same uploads and checks as {@link
 * ServeOverHttpIT}, sent to nginx.
 *
 * <p>Needs a Docker engine (and pulls {@code nginx:1.27-alpine} and Testcontainers' sshd helper
 * image on first use). Without one the class is skipped, visibly: {@code disabledWithoutDocker}
 * asks the Docker client once, which fails fast when no engine answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class NginxProxyIT {

  static final DockerImageName NGINX = DockerImageName.parse("nginx:1.27-alpine");

  static String config(int servePort) {
    return String.join(
        "\n",
        "server {",
        "  listen 80;",
        "  client_max_body_size 0;",
        "  location / {",
        "    proxy_pass http://host.testcontainers.internal:" + servePort + ";",
        "    proxy_http_version 1.1;",
        "    proxy_request_buffering off;",
        "    proxy_buffering off;",
        "    proxy_read_timeout 60s;",
        "    add_header X-Proxied-By nginx always;",
        "  }",
        "}",
        "");
  }

  @Test
  void uploadsThroughAnNginxReverseProxyArriveIntactAndReleaseTheirMemory() throws Exception {
    Path plugins = Builds.folderWith("nginx-plugins", ItEnv.dicomPlugin());
    String stderr;
    ServeProcess serve =
        ServeProcess.start("--plugins", plugins.toString(), "serve", "--port", "0");
    try {
      org.testcontainers.Testcontainers.exposeHostPorts(serve.port());
      try (GenericContainer<?> nginx =
          new GenericContainer<>(NGINX)
              .withCopyToContainer(
                  Transferable.of(config(serve.port())), "/etc/nginx/conf.d/default.conf")
              .withExposedPorts(80)
              .waitingFor(
                  Wait.forHttp("/kinds")
                      .forStatusCode(200)
                      .withStartupTimeout(Duration.ofMinutes(2)))) {
        nginx.start();
        URI base = URI.create("http://" + nginx.getHost() + ":" + nginx.getMappedPort(80));

        HttpResponse<String> kinds =
            ServeOverHttpIT.HTTP.send(
                HttpRequest.newBuilder(base.resolve("/kinds"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
            "nginx",
            kinds.headers().firstValue("X-Proxied-By").orElse(null),
            "the answer came through nginx: " + kinds.headers().map());
        assertTrue(
            kinds.headers().firstValue("Server").orElse("").startsWith("nginx"),
            kinds.headers().map().toString());

        ServeOverHttpIT.uploadAndCheck(base);
      }
    } finally {
      stderr = serve.stop();
    }
    assertTrue(stderr.contains("axon-buffer serve: stopped; 0 live bytes left"), stderr);
  }
}
