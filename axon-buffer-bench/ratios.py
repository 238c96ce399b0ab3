#!/usr/bin/env python3
"""Runs JMH benchmarks of the benchmarks JAR in several short rounds and prints, per pair, the
ratio of our score to the peer's score measured in the same round: the median and the range over
the rounds. The machine these run on is shared and noisy; ratios measured side by side and
repeated are what RESULTS.md reports.

Usage (from the repository root, after `./mvnw -pl axon-buffer-bench -am package -DskipTests`):

    python3 axon-buffer-bench/ratios.py [--rounds 5] [--only REGEX] [--jar PATH] [--java PATH]

The FFM pairs (Native*Benchmark) exist only in a JAR built on JDK 22+ and run on JDK 22+: build and
run them with JDK 25 (`--java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java`); pairs whose benchmarks
are not in the JAR are left out of the table.

Each round runs every benchmark class below once (JMH: 1 fork, 3 warm-up and 5 measurement
iterations of 1 s; override with --jmh "..."). The load average is read before and after each
class and printed with the table. --cpu compares CPU time per operation instead of wall time
(CpuTimeProfiler), for a machine too busy for wall time to mean anything.
Ratios are time ratios (ours / peer's): below 1.0
we are faster. For throughput targets ("at least 0.95x"), the script prints peer/ours instead, as
marked.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_JAR = os.path.join(HERE, "target", "axon-buffer-bench-0.1.0-SNAPSHOT-benchmarks.jar")
DEFAULT_JMH = "-f 1 -wi 3 -w 1 -i 5 -r 1"

P = "io.axon.buffer.bench."
# (label, benchmark class regex, ours, peer, params, kind, target)
# kind "time": ours/peer (target is a maximum); "throughput": peer/ours (target is a minimum).
PAIRS = [
    *[("acquire+freeze+close %s vs Netty direct" % label, "PoolBenchmark",
       "PoolBenchmark.axonAcquireFreezeClose", "PoolBenchmark.nettyDirectAllocateRelease",
       {"size": size}, "time", 0.5)
      for label, size in [("256 B", "256"), ("4 KiB", "4096"), ("64 KiB", "65536"),
                          ("1 MiB", "1048576")]],
    ("2 threads, 4 KiB, per thread vs Netty direct", "PoolTwoThreadsBenchmark",
     "PoolTwoThreadsBenchmark.axonAcquireFreezeClose",
     "PoolTwoThreadsBenchmark.nettyDirectAllocateRelease", {}, "time", 0.7),
    ("2 threads, 4 KiB, per thread vs Netty heap", "PoolTwoThreadsBenchmark",
     "PoolTwoThreadsBenchmark.axonAcquireFreezeClose",
     "PoolTwoThreadsBenchmark.nettyHeapAllocateRelease", {}, "time", None),
    ("slice+close vs Netty retainedSlice+release", "SliceBenchmark",
     "SliceBenchmark.axonSliceClose", "SliceBenchmark.nettyRetainedSliceRelease", {}, "time", 0.7),
    ("slice+get+close vs Netty retainedSlice+getByte+release", "SliceBenchmark",
     "SliceBenchmark.axonSliceGetClose", "SliceBenchmark.nettyRetainedSliceGetByteRelease", {},
     "time", 0.5),
    ("share+close vs Netty retainedSlice+release", "SliceBenchmark",
     "SliceBenchmark.axonShareClose", "SliceBenchmark.nettyRetainedSliceRelease", {}, "time", 0.7),
    ("sha256 1 MiB, throughput vs MessageDigest(heap byte[])", "Sha256Benchmark",
     "Sha256Benchmark.axonSha256", "Sha256Benchmark.messageDigestHeapArray", {}, "throughput",
     0.95),
    ("readFrom socket 64 KiB, throughput vs preallocated direct", "ReadFromSocketBenchmark",
     "ReadFromSocketBenchmark.axonReadFromIntoPooledMemory",
     "ReadFromSocketBenchmark.readIntoPreallocatedDirectByteBuffer", {"size": "65536"},
     "throughput", 0.9),
    ("readFrom socket 1 MiB, throughput vs preallocated direct", "ReadFromSocketBenchmark",
     "ReadFromSocketBenchmark.axonReadFromIntoPooledMemory",
     "ReadFromSocketBenchmark.readIntoPreallocatedDirectByteBuffer", {"size": "1048576"},
     "throughput", 0.9),
    # Media kinds (issue 4): speed ratios, peer's time / ours.
    ("mu-law decode 1 MiB, transcoder vs JDK AudioSystem read into an array",
     "MulawDecodeBenchmark", "MulawDecodeBenchmark.axonTranscoder",
     "MulawDecodeBenchmark.jdkAudioSystemIntoArray", {}, "throughput", 4.0),
    ("mu-law decode 1 MiB, transcoder vs JDK AudioSystem readAllBytes",
     "MulawDecodeBenchmark", "MulawDecodeBenchmark.axonTranscoder",
     "MulawDecodeBenchmark.jdkAudioSystemReadAllBytes", {}, "throughput", 4.0),
    ("mu-law decode 1 MiB, transcoder vs 256-entry lookup loop into byte[]",
     "MulawDecodeBenchmark", "MulawDecodeBenchmark.axonTranscoder",
     "MulawDecodeBenchmark.lookupLoop", {}, "throughput", 0.8),
    ("mu-law decode 1 MiB, MuLaw.decode arrays vs 256-entry lookup loop",
     "MulawDecodeBenchmark", "MulawDecodeBenchmark.axonMuLawArrays",
     "MulawDecodeBenchmark.lookupLoop", {}, "throughput", None),
    ("mu-law encode 1 Mi samples, transcoder vs JDK AudioSystem read into an array",
     "MulawEncodeBenchmark", "MulawEncodeBenchmark.axonTranscoder",
     "MulawEncodeBenchmark.jdkAudioSystemIntoArray", {}, "throughput", None),
    ("mu-law encode 1 Mi samples, transcoder vs G.191 arithmetic loop into byte[]",
     "MulawEncodeBenchmark", "MulawEncodeBenchmark.axonTranscoder",
     "MulawEncodeBenchmark.arithmeticLoop", {}, "throughput", None),
    ("JPEG inspect 1 MiB (heap) vs ImageIO width+height",
     "JpegInspectBenchmark", "JpegInspectBenchmark.axonInspect",
     "JpegInspectBenchmark.imageIoWidthAndHeight", {}, "throughput", 10.0),
    ("JPEG inspect 1 MiB (direct) vs ImageIO width+height",
     "JpegInspectBenchmark", "JpegInspectBenchmark.axonInspectDirect",
     "JpegInspectBenchmark.imageIoWidthAndHeight", {}, "throughput", 10.0),
    ("JPEG inspect 1 MiB (heap) vs ImageIO width+height, default file cache",
     "JpegInspectBenchmark", "JpegInspectBenchmark.axonInspect",
     "JpegInspectBenchmark.imageIoWithFileCache", {}, "throughput", None),
    ("Cleaner for every SMALL storage vs 1 in 64, 1 thread", "CleanerCostBenchmark",
     "CleanerCostBenchmark.oneThread", "CleanerCostBenchmark.oneThread",
     {"fullLeakReclamation": ("true", "false")}, "time", None),
    ("Cleaner for every SMALL storage vs 1 in 64, 2 threads", "CleanerCostBenchmark",
     "CleanerCostBenchmark.twoThreads", "CleanerCostBenchmark.twoThreads",
     {"fullLeakReclamation": ("true", "false")}, "time", None),
    # Issue 5: multipart parse, 8 KiB chunks (MultipartParseBenchmark), and the linearity of the
    # boundary search: a 1 MiB part of hostile bytes against a 1 MiB part of random bytes.
    *[("multipart %s vs %s" % (label, peer_label), "MultipartParseBenchmark",
       "MultipartParseBenchmark.axon", "MultipartParseBenchmark." + peer, {"body": body},
       "throughput", target)
      for peer, peer_label, target in [("fileUpload", "Commons FileUpload 2", 1.5),
                                       ("jetty", "Jetty 12 MultiPart.Parser", 1.0)]
      for label, body in [("1 MiB file", "file1m"), ("100 small fields", "fields100"),
                          ("all-dash 1 MiB", "dashes1m")]],
    # Issue 19: the physical baseline (the same chunks copied into pooled memory, no parsing) and
    # the raised targets against Jetty 12.
    *[("multipart %s vs the copy baseline" % label, "MultipartParseBenchmark",
       "MultipartParseBenchmark.axon", "MultipartParseBenchmark.copyBaseline", {"body": body},
       "throughput", 0.5)
      for label, body in [("1 MiB file", "file1m"), ("all-dash 1 MiB", "dashes1m")]],
    *[("multipart %s vs Jetty 12 (issue 19)" % label, "MultipartParseBenchmark",
       "MultipartParseBenchmark.axon", "MultipartParseBenchmark.jetty", {"body": body},
       "throughput", 2.0)
      for label, body in [("1 MiB file", "file1m"), ("100 small fields", "fields100"),
                          ("all-dash 1 MiB", "dashes1m")]],
    ("multipart 1 MiB file, sniffing off, vs Jetty 12", "MultipartParseBenchmark",
     "MultipartParseBenchmark.axonNoSniffing", "MultipartParseBenchmark.jetty",
     {"body": "file1m"}, "throughput", None),
    # Issue 17: an upload through a WebFlux endpoint over 127.0.0.1 (Jetty core, the JDK's HTTP
    # client), axon-buffer-spring's reader against WebFlux's default reader.
    *[("WebFlux upload %s vs Spring's default reader" % label, "SpringUploadBenchmark",
       "SpringUploadBenchmark.axon", "SpringUploadBenchmark.springDefault", {"body": body},
       "throughput", target)
      for label, body, target in [("1 MiB file", "file1m", 3.0), ("100 fields", "fields100", 1.5),
                                  ("100 MiB file", "file100m", 3.0)]],
    *[("hostile 1 MiB part vs random: " + label, "MultipartLinearityBenchmark",
       "MultipartLinearityBenchmark.parse", "MultipartLinearityBenchmark.parse",
       {"body": (body, "file1m")}, "time", 3.0)
      for label, body in [("all dashes", "dashes1m"), ("CR LF pairs", "crlf1m"),
                          ("CR LF \"--\" runs", "crlfDashes1m"),
                          ("delimiter lines, last byte wrong", "nearBoundary1m"),
                          ("delimiter lines, middle byte wrong", "midMismatch1m")]],
    # Issue 16: Netty. Multipart through MultipartUploadHandler against Netty's
    # HttpPostRequestDecoder on the same HttpContent chunks; a view written as a ByteBuf against a
    # Netty pooled ByteBuf with the same bytes, on a loopback socket and an EmbeddedChannel.
    *[("Netty multipart %s vs HttpPostRequestDecoder" % label, "NettyMultipartBenchmark",
       "NettyMultipartBenchmark.axon", "NettyMultipartBenchmark.nettyPostRequestDecoder",
       {"body": body}, "throughput", 10.0)
      for label, body in [("1 MiB file", "file1m"), ("100 small fields", "fields100"),
                          ("all-dash 1 MiB", "dashes1m")]],
    # The ceiling of the pair above: the decoder against the same request only delivered (and
    # delivered and copied once), whose time no handler (keeping the bytes) can go under.
    *[("Netty multipart %s: decoder vs %s (ceiling)" % (label, floor), "NettyMultipartBenchmark",
       "NettyMultipartBenchmark." + method, "NettyMultipartBenchmark.nettyPostRequestDecoder",
       {"body": body}, "throughput", None)
      for label, body in [("1 MiB file", "file1m"), ("100 small fields", "fields100")]
      for floor, method in [("delivery alone", "deliverOnly"),
                            ("delivery and one copy", "deliverAndCopy")]],
    *[("Netty write %s, %s: view as ByteBuf vs pooled ByteBuf" % (label, sink),
       "NettyWriteBenchmark", "NettyWriteBenchmark.axonView", "NettyWriteBenchmark.nettyPooled",
       {"shape": shape, "sink": sink}, "throughput", 0.95 if sink == "socket" else None)
      for label, shape in [("64 KiB", "plain64k"), ("1 MiB", "plain1m"),
                           ("1 MiB in 16 pieces", "composite1m")]
      for sink in ["socket", "embedded"]],
    # Issue 15: 8 -> 16 kHz of ten minutes of speech (sox is timed apart: resample-vs-sox.sh).
    ("resample 10 min 8->16 kHz, transcoder vs JDK AudioSystem (linear)", "ResampleBenchmark",
     "ResampleBenchmark.axonTranscoder", "ResampleBenchmark.jdkAudioSystemLinear", {},
     "throughput", None),
    ("resample 10 min 8->16 kHz, transcoder vs JDK AudioSystem (sinc)", "ResampleBenchmark",
     "ResampleBenchmark.axonTranscoder", "ResampleBenchmark.jdkAudioSystemSinc", {},
     "throughput", None),
    ("resample 10 min 8->16 kHz, 20 ms frames vs one call", "ResampleBenchmark",
     "ResampleBenchmark.axonStreaming20msFrames", "ResampleBenchmark.axonTranscoder", {},
     "throughput", None),
    # Issue 18 (JDK 22+): native code on pooled memory through MemorySegment, throughput ratios.
    ("crc32 1 MiB: zlib via FFM in place vs CRC32 on the direct ByteBuffer",
     "NativeCrc32Benchmark", "NativeCrc32Benchmark.zlibInPlace",
     "NativeCrc32Benchmark.crc32DirectByteBuffer", {}, "throughput", 0.95),
    ("crc32 1 MiB: zlib via FFM in place vs copy to byte[] then CRC32",
     "NativeCrc32Benchmark", "NativeCrc32Benchmark.zlibInPlace",
     "NativeCrc32Benchmark.copyToByteArrayThenCrc32", {}, "throughput", 0.95),
    ("crc32 1 MiB: zlib via FFM in place vs copy to byte[] then zlib",
     "NativeCrc32Benchmark", "NativeCrc32Benchmark.zlibInPlace",
     "NativeCrc32Benchmark.copyToByteArrayThenZlib", {}, "throughput", None),
    ("crc32 1 MiB: libdeflate via FFM in place vs CRC32 on the direct ByteBuffer",
     "NativeCrc32Benchmark", "NativeCrc32Benchmark.libdeflateInPlace",
     "NativeCrc32Benchmark.crc32DirectByteBuffer", {}, "throughput", None),
    ("inflate 1 MiB: zlib via FFM into the builder's tail vs Inflater into heap + copy",
     "NativeInflateBenchmark", "NativeInflateBenchmark.zlibIntoBuilderTail",
     "NativeInflateBenchmark.inflaterIntoHeapThenCopy", {}, "throughput", None),
    ("inflate 1 MiB: Inflater into the tail's ByteBuffer vs Inflater into heap + copy",
     "NativeInflateBenchmark", "NativeInflateBenchmark.inflaterIntoBuilderTail",
     "NativeInflateBenchmark.inflaterIntoHeapThenCopy", {}, "throughput", None),
]


def run_round(java, jar, classes, jmh_args, cpu, loads):
    results = {}
    for cls in classes:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        cmd = [java, "-jar", jar, P + cls + "\\.", *jmh_args.split(), "-rf", "json", "-rff", out]
        if cpu:
            cmd[3:3] = ["-prof", P + "CpuTimeProfiler"]
        loads.append(load_average())
        for _ in range(240):  # another JMH run may hold /tmp/jmh.lock: wait for it
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if "Unable to acquire the JMH lock" not in proc.stdout + proc.stderr:
                break
            time.sleep(15)
        if "No matching benchmarks" in proc.stdout + proc.stderr:
            print("(%s is not in %s: left out)" % (cls, jar), file=sys.stderr)
            os.unlink(out)
            continue
        if proc.returncode != 0:
            sys.exit("JMH failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
        with open(out) as f:
            for r in json.load(f):
                name = r["benchmark"].replace(P, "")
                params = tuple(sorted((r.get("params") or {}).items()))
                metric = r["primaryMetric"]
                if cpu:  # JMH names a profiler's figures "·cpu.time.norm" in its JSON
                    metric = [v for k, v in r["secondaryMetrics"].items()
                              if k.endswith("cpu.time.norm")][0]
                results[(name, params)] = (metric["score"], metric["scoreUnit"])
        os.unlink(out)
        loads.append(load_average())
    return results


def load_average():
    """The one-minute load average (Linux)."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def score(results, name, params):
    for (n, p), (s, _) in results.items():
        if n == name and all(dict(p).get(k) == v for k, v in params.items()):
            return s
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", default=None, help="only pairs whose class matches this regex")
    ap.add_argument("--jar", default=DEFAULT_JAR)
    ap.add_argument("--jmh", default=DEFAULT_JMH)
    ap.add_argument("--java", default="java", help="the java launcher (JDK 22+ for Native*)")
    ap.add_argument("--cpu", action="store_true",
                    help="compare CPU time per operation (CpuTimeProfiler's cpu.time.norm: the"
                         " benchmark JVM's CPU time, collector included) instead of wall time;"
                         " for a busy machine, where wall time mostly measures descheduling")
    a = ap.parse_args()
    import re
    pairs = [p for p in PAIRS if a.only is None or re.search(a.only, p[1])]
    classes = sorted({p[1] for p in pairs})
    loads = []
    rounds = [run_round(a.java, a.jar, classes, a.jmh, a.cpu, loads) for _ in range(a.rounds)]
    print("%s, %d rounds; one-minute load average before and after each class: median %.1f,"
          " from %.1f to %.1f" % ("CPU time per operation" if a.cpu else "wall time", a.rounds,
                                   statistics.median(loads), min(loads), max(loads)))
    print()
    print("| pair | ours | peer | ratio (median) | range over %d rounds | target |" % a.rounds)
    print("|---|---|---|---|---|---|")
    for label, _, ours, peer, params, kind, target in pairs:
        ours_p = {k: (v[0] if isinstance(v, tuple) else v) for k, v in params.items()}
        peer_p = {k: (v[1] if isinstance(v, tuple) else v) for k, v in params.items()}
        ratios, os_, ps_ = [], [], []
        for r in rounds:
            o, p = score(r, ours, ours_p), score(r, peer, peer_p)
            if o is None or p is None:
                continue
            os_.append(o)
            ps_.append(p)
            ratios.append(o / p if kind == "time" else p / o)
        if not ratios:
            continue
        unit = [u for (n, _), (_, u) in rounds[0].items() if n == ours][0]
        tgt = "" if target is None else ("<= %.2f" % target if kind == "time" else ">= %.2f" % target)
        print("| %s | %.1f %s | %.1f %s | %.2f | %.2f-%.2f | %s |" % (
            label, statistics.median(os_), unit, statistics.median(ps_), unit,
            statistics.median(ratios), min(ratios), max(ratios), tgt))


if __name__ == "__main__":
    main()
