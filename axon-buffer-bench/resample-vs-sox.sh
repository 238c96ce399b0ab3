#!/bin/sh
# 8 -> 16 kHz of ten minutes (and of an hour) of speech: sox's `rate -h` against axon-buffer, both
# as whole processes timed by hyperfine, and axon-buffer in-process by JMH (ResampleBenchmark).
# Needs sox and hyperfine. Run from the repository root after
#   ./mvnw -pl axon-buffer-bench,axon-buffer-cli -am package -DskipTests
set -eu
work=${TMPDIR:-/tmp}/axon-resample-bench
mkdir -p "$work"
sox samples/hello-8k.wav "$work/10min.wav" repeat 173    # 602 s: 174 times the 3.46 s sample
sox samples/hello-8k.wav "$work/60min.wav" repeat 1040   # 3603 s
jar=axon-buffer-cli/target/axon-buffer.jar
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for len in 10min 60min; do
  hyperfine --warmup 2 --runs 10 -N \
    "sox -D $work/$len.wav -r 16000 $work/$len.sox.wav rate -h" \
    "java -jar $jar transcode --to wav --to-rate 16000 $work/$len.wav $work/$len.axon.wav"
done
# The JVM's own start-up, for the record: the same command on 0.1 s of audio.
sox samples/hello-8k.wav "$work/short.wav" trim 0 0.1
hyperfine --warmup 2 --runs 10 -N \
  "java -jar $jar transcode --to wav --to-rate 16000 $work/short.wav $work/short.axon.wav"
java -jar axon-buffer-bench/target/axon-buffer-bench-0.1.0-SNAPSHOT-benchmarks.jar \
  'io.axon.buffer.bench.ResampleBenchmark\.' -f 1 -wi 3 -w 2 -i 5 -r 2 -prof gc
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
