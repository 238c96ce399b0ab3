#!/bin/sh
# Makes the resampler quality references (see README.md). Run from this folder; needs sox (and awk).
set -eu
D=0.25
PAIRS="8000:16000 16000:8000 8000:24000 24000:8000 16000:24000 24000:16000 8000:48000 48000:8000 44100:16000 16000:44100 44100:48000 48000:44100"

# The four probe tones of a pair: converting up, in the input's band, from 97% of its Nyquist
# frequency down to 25% (their images fall in the stop band); converting down, in the stop band,
# from 101% of the output's Nyquist frequency to 97% of the input's. ResampleQualityTest computes
# the same frequencies (and checks that the file holds them).
tones() {
  awk -v f="$1" -v t="$2" 'BEGIN {
    for (i = 0; i < 4; i++) {
      if (t > f) hz = f / 2 * (0.97 - 0.24 * i); else hz = t / 2 * 1.01 + (f / 2 * 0.97 - t / 2 * 1.01) * i / 3;
      printf "sine %.2f ", hz + 0.37 * (i + 1)
    }
  }'
}

for R in 8000 16000 24000 44100 48000; do
  sox -D -r $R -n -b 16 -e signed -c 1 tone997-$R.wav synth $D sine 997 vol -1dB
  sox -D -r $R -n -b 16 -e signed -c 1 sweep-$R.wav synth $D sine 0:$((R*49/100)) fade h 0.01 0 0.01 vol -3dB pad 0.02 0.02
done
for pair in $PAIRS; do
  F=${pair%:*}; T=${pair#*:}
  sox -D -r $F -n -b 16 -e signed multitone-$F-to-$T.wav synth 0.5 $(tones $F $T) remix - vol -1dB
  sox -D tone997-$F.wav -b 16 -e signed tone997-$F-to-$T.sox.wav rate -h $T
  sox -D sweep-$F.wav -b 32 -e floating-point sweep-$F-to-$T.sox.wav rate -h $T
  sox -D multitone-$F-to-$T.wav -b 32 -e floating-point multitone-$F-to-$T.sox.wav rate -h $T
done
cp ../../../../../samples/hello-8k.wav .
sox -D hello-8k.wav -b 16 -e signed hello-8k-to-16000.sox.wav rate -h 16000
