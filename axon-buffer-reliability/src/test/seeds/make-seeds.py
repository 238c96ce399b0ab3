#!/usr/bin/env python3
"""Builds the Jazzer seed inputs of axon-buffer-reliability from the shared corpus.

Run from the repository root:  python3 axon-buffer-reliability/src/test/seeds/make-seeds.py DIR
where DIR is the corpus folder (media/, multipart/, websocket/). It writes into
src/test/resources/io/axon/buffer/reliability/<FuzzTestClass>Inputs/<method>/, the layout Jazzer
reads in regression mode. Seeds are the corpus files, verbatim or in the target's input layout
(see each fuzz test's javadoc); files larger than MAX are left out to keep fuzzing fast (WebSocket
sessions: WS_MAX, see below). The DICOM seeds are not from the corpus but from the example
plugin's own test samples in this repository (examples/kind-plugin-dicom), whatever DIR is.
"""
import os
import re
import sys

MAX = 20000
# WebSocketFuzzTest#decodeAndAccumulate allows frames of 64 KiB and messages of 96 KiB: a session up
# to that size is kept whole (jdk-01, 65,571 bytes, the corpus's only 64 KiB message and its
# only 16-bit extended frame lengths, would be left out by MAX).
WS_MAX = 96 * 1024 + 1024
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

# WebSocket: flags byte (bit 0 = decode as a server, i.e. masked frames), then the wire bytes.
ws = os.path.join(corpus, 'websocket')
for name in sorted(os.listdir(ws)):
    if name.endswith('.wire'):
        wire = read('websocket', name)
        if len(wire) <= WS_MAX:
            put('WebSocketFuzzTest', 'decodeAndAccumulate', name[:-5], bytes([1]) + wire)

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

# DICOM (the example plugin): its DCMTK samples verbatim (see that folder's README), for both targets.
for name in sorted(os.listdir(dicom)):
    if name.endswith('.dcm'):
        with open(os.path.join(dicom, name), 'rb') as f:
            data = f.read()
        for method in ('sniff', 'inspect'):
            put('DicomFuzzTest', method, 'plugin-' + name, data)
