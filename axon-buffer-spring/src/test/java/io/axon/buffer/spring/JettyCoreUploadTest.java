package io.axon.buffer.spring;

/** {@link UploadBehaviourTest} on Jetty 12 core (Spring's {@code JettyCoreHttpHandlerAdapter}). */
class JettyCoreUploadTest extends UploadBehaviourTest {
  JettyCoreUploadTest() {
    super(TestServer.Host.JETTY_CORE);
  }
}
