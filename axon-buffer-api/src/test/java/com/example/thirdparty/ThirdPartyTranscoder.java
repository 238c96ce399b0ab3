package com.example.thirdparty;

import io.axon.buffer.transcodertest.TestTranscoders;

/** A third party's a -> b at the default priority: loses to a built-in whatever its name. */
public final class ThirdPartyTranscoder extends TestTranscoders.Appending {
  public ThirdPartyTranscoder() {
    super("a", "b");
  }
}
