package com.example.thirdparty;

import io.axon.buffer.transcodertest.TestTranscoders;

/** A third party's a -> b: loses to ours whatever its name. */
public final class ThirdPartyTranscoder extends TestTranscoders.Appending {
  public ThirdPartyTranscoder() {
    super("a", "b");
  }
}
