#!/usr/bin/env python3
"""Builds the Jazzer seed inputs of axon-buffer-reliability from the shared corpus.

Run from the repository root:  python3 axon-buffer-reliability/src/test/seeds/make-seeds.py DIR
where DIR is the corpus folder (media/, multipart/, websocket/). It writes into
src/test/resources/io/axon/buffer/reliability/<FuzzTestClass>Inputs/<method>/, the layout Jazzer
reads in regression mode. Seeds are the corpus files, verbatim or in the target's input layout
(see each fuzz test's javadoc); files larger than MAX are left out (media files and WebSocket
sessions are cut to fit instead) to keep fuzzing fast. The DICOM seeds are not from the corpus but from the example
plugin's own test samples in this repository (examples/kind-plugin-dicom), whatever DIR is.
"""
import os
import re
import sys

MAX = 20000
corpus = sys.argv[1]
here = os.path.dirname(__file__)
root = os.path.join(here, '..', 'resources', 'io', 'axon', 'buffer', 'reliability')
dicom = os.path.join(here, '..', '..', '..', '..', 'examples', 'kind-plugin-dicom', 'src', 'test',
                     'resources', 'dicom')


def put(test, method, name, data):
    d = os.path.join(root, test + 'Inputs', method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def read(*p):
    with open(os.path.join(corpus, *p), 'rb') as f:
        return f.read()


# Multipart: flags byte, boundary line, body.
mp = os.path.join(corpus, 'multipart')
for name in sorted(os.listdir(mp)):
    if not name.endswith('.body'):
        continue
    body = read('multipart', name)
    if len(body) > MAX:
        continue
    headers = read('multipart', name[:-5] + '.headers').decode('latin-1')
    m = re.search(r'boundary="?([^";\r\n]+)"?', headers)
    boundary = m.group(1).encode('latin-1')
    for flags, suffix in ((0, ''), (1, '-lenient'), (2, '-small-limits')):
        put('MultipartFuzzTest', 'parseInRandomChunks', name[:-5] + suffix,
            bytes([flags]) + boundary + b'\n' + body)

def frames(wire):
    """The wire's frames as (first byte, mask key, payload); lengths minimal (RFC 6455 5.2)."""
    out, i = [], 0
    while i < len(wire):
        b0, b1, h = wire[i], wire[i + 1], 2
        n = b1 & 127
        if n >= 126:
            size = 2 if n == 126 else 8
            n, h = int.from_bytes(wire[i + 2:i + 2 + size], 'big'), 2 + size
        key = wire[i + h:i + h + 4] if b1 & 128 else b''
        h += len(key)
        out.append((b0, key, wire[i + h:i + h + n]))
        i += h + n
    return out


def frame(b0, key, payload):
    n = len(payload)
    mask = 128 if key else 0
    if n < 126:
        head = bytes([b0, mask | n])
    elif n < 65536:
        head = bytes([b0, mask | 126]) + n.to_bytes(2, 'big')
    else:
        head = bytes([b0, mask | 127]) + n.to_bytes(8, 'big')
    return head + key + payload


def cut_session(wire, size):
    """The session in at most size bytes: its longest payload cut by the excess, its length field
    rewritten. Still a valid session (a masked payload's prefix is still masked right) and the
    same frames; only that one payload is shorter."""
    fs = frames(wire)
    longest = max(range(len(fs)), key=lambda k: len(fs[k][2]))
    b0, key, payload = fs[longest]
    fs[longest] = (b0, key, payload[:len(payload) - (len(wire) - size)])
    cut = b''.join(frame(*f) for f in fs)
    assert len(cut) <= size and len(frames(cut)) == len(fs)
    return cut


# WebSocket: flags byte (bit 0 = decode as a server, i.e. masked frames), then the wire bytes. A
# session longer than MAX is cut to fit (jdk-01: its 60,536-byte last fragment to 14,964 bytes;
# measured, the cut seed covers the same edges and features as the whole 65,571-byte capture, but
# a 64 KiB seed makes libFuzzer fuzz inputs of up to 64 KiB, several times slower).
ws = os.path.join(corpus, 'websocket')
for name in sorted(os.listdir(ws)):
    if name.endswith('.wire'):
        wire = read('websocket', name)
        seed = name[:-5]
        if len(wire) + 1 > MAX:
            wire, seed = cut_session(wire, MAX - 1), seed + '-cut'
        put('WebSocketFuzzTest', 'decodeAndAccumulate', seed, bytes([1]) + wire)

# Media: verbatim, per kind, by file name; every file also seeds the sniffers.
by_kind = {
    'jpeg': ('.jpg',), 'png': ('.png',), 'webp': ('.webp',), 'mp4': ('.mp4',),
    'webm': ('.webm',), 'mp3': ('.mp3',), 'opus': ('.opus',), 'pdf': ('.pdf',),
    'wav': ('.wav',),
}
for folder in ('good', 'bad'):
    for name in sorted(os.listdir(os.path.join(corpus, 'media', folder))):
        data = read('media', folder, name)
        if len(data) > MAX:
            data = data[:MAX]  # a cut file is a seed too
        seed = folder + '-' + name
        put('MediaFuzzTest', 'sniffers', seed, data)
        for kind, exts in by_kind.items():
            if name.endswith(exts):
                put('MediaFuzzTest', 'inspect' + kind.capitalize(), seed, data)
                if kind == 'wav':
                    put('TranscoderFuzzTest', 'wavToPcm16', seed, data)
                    put('TranscoderFuzzTest', 'wavToMulaw8', seed, data)

# pcmChains: real audio as headerless PCM16 or mu-law (the data chunk of the corpus's sox WAVs, its
# first 4000 bytes), one seed per chain. Jazzer's FuzzedDataProvider takes the payload from the
# start of the input and every choice from its end, last byte first: from (0 pcm16, 1 mulaw8), to
# (0 pcm16, 1 mulaw8, 2 wav), "rate given" and its 3 bytes, "channels given" and its 2 bytes
# (Jazzer 0.30 reads an in-range value as is, big-endian; checked by printing the options).
def data_chunk(wav):
    at = wav.index(b'data') + 8
    return wav[at:at + 4000]


def pcm_chain(payload, frm, to, rate=None, channels=None):
    choices = [frm, to, 0 if rate is None else 1]
    if rate is not None:
        v = rate
        choices += [v >> 16, (v >> 8) & 255, v & 255]
    choices.append(0 if channels is None else 1)
    if channels is not None:
        v = channels
        choices += [v >> 8, v & 255]
    return payload + bytes(reversed(choices))


pcm = data_chunk(read('media', 'good', 'sox_pcm16_8k_mono.wav'))
mulaw = data_chunk(read('media', 'good', 'sox_mulaw_8k_mono.wav'))
for name, data in (
        ('chain-pcm16-to-mulaw8', pcm_chain(pcm, 0, 1)),
        ('chain-pcm16-to-wav-8000', pcm_chain(pcm, 0, 2, rate=8000)),
        ('chain-pcm16-to-wav-no-rate', pcm_chain(pcm, 0, 2)),
        ('chain-pcm16-to-wav-stereo-odd', pcm_chain(pcm[:-2], 0, 2, rate=8000, channels=2)),
        ('chain-mulaw8-to-pcm16', pcm_chain(mulaw, 1, 0)),
        ('chain-mulaw8-to-wav-8000', pcm_chain(mulaw, 1, 2, rate=8000))):
    put('TranscoderFuzzTest', 'pcmChains', name, data)

# DICOM (the example plugin): its DCMTK samples verbatim (see that folder's README), for both targets.
for name in sorted(os.listdir(dicom)):
    if name.endswith('.dcm'):
        with open(os.path.join(dicom, name), 'rb') as f:
            data = f.read()
        for method in ('sniff', 'inspect'):
            put('DicomFuzzTest', method, 'plugin-' + name, data)
