package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TranscodeOptionsTest {

  @Test
  void theTargetRateIsKeptApartFromTheRateAndSurvivesTheOtherSetters() {
    TranscodeOptions o =
        TranscodeOptions.none().withTargetRate(16000).withRate(8000).withChannels(2);
    assertEquals(OptionalInt.of(8000), o.rate());
    assertEquals(OptionalInt.of(16000), o.targetRate());
    assertEquals(OptionalInt.of(2), o.channels());
    assertEquals(OptionalInt.empty(), TranscodeOptions.none().targetRate());
    assertEquals("TranscodeOptions{rate=8000, channels=2, targetRate=16000}", o.toString());
  }

  @Test
  void theTargetRateTakesPartInEquality() {
    TranscodeOptions a = TranscodeOptions.none().withRate(8000);
    assertNotEquals(a, a.withTargetRate(16000));
    assertEquals(
        a.withTargetRate(16000), TranscodeOptions.none().withRate(8000).withTargetRate(16000));
    assertEquals(
        a.withTargetRate(16000).hashCode(),
        TranscodeOptions.none().withRate(8000).withTargetRate(16000).hashCode());
  }

  @Test
  void anOutOfRangeTargetRateNamesTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TranscodeOptions.none().withTargetRate(0));
    assertTrue(e.getMessage().contains("target sample rate") && e.getMessage().contains("0"));
    assertThrows(
        IllegalArgumentException.class, () -> TranscodeOptions.none().withTargetRate(1_000_001));
  }
}
