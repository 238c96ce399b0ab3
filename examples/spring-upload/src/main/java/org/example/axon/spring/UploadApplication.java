package org.example.axon.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot WebFlux application taking uploads. Nothing here configures axon-buffer: the
 * starter on the class path puts the pooled multipart reader in place of WebFlux's, bills every
 * part to the {@code X-Tenant} header's tenant and binds the pool's meters (see {@code
 * application.properties}).
 */
@SpringBootApplication
public class UploadApplication {

  /**
   * Runs the application ({@code --server.port=8080} by default).
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(UploadApplication.class, args);
  }
}
