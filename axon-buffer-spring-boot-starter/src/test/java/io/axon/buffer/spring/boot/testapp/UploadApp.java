package io.axon.buffer.spring.boot.testapp;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spring.PooledFilePart;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The application: one handler that keeps a view of the uploaded file until the test ends. */
@SpringBootApplication
@RestController
public class UploadApp {
  public static final Map<String, ZeroCopyBuffer> HELD = new ConcurrentHashMap<>();

  @PostMapping("/hold/{id}")
  Mono<String> hold(@PathVariable("id") String id, @RequestPart("file") PooledFilePart file) {
    HELD.put(id, file.buffer().share());
    return Mono.just(
        file.getClass().getSimpleName() + " " + file.tenant().orElse("-") + " " + file.size());
  }
}
