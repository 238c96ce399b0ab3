package io.axon.buffer.spring;

/** {@link UploadBehaviourTest} on Reactor Netty, WebFlux's default server. */
class ReactorNettyUploadTest extends UploadBehaviourTest {
  ReactorNettyUploadTest() {
    super(TestServer.Host.REACTOR_NETTY);
  }
}
