package io.axon.buffer.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests, cloned from one prototype (cheaper than a provider lookup per call). */
final class Digests {

  private static final MessageDigest PROTOTYPE;
  private static final boolean CLONEABLE;

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError("every Java platform has SHA-256: " + e);
    }
    boolean cloneable;
    try {
      Object unused = PROTOTYPE.clone();
      cloneable = true;
    } catch (CloneNotSupportedException e) {
      cloneable = false;
    }
    CLONEABLE = cloneable;
  }

  private Digests() {}

  /** A fresh SHA-256 digest. */
  static MessageDigest sha256() {
    try {
      return CLONEABLE ? (MessageDigest) PROTOTYPE.clone() : MessageDigest.getInstance("SHA-256");
    } catch (CloneNotSupportedException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
