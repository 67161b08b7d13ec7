using System;
using System.Security.Cryptography;
using System.Text;

namespace SecureNmc.Simulator.Firmware
{
    /// <summary>
    /// Checks a <see cref="SimulatorFirmwarePackage"/> while it arrives, chunk by chunk, so a card never
    /// holds a whole upload: memory is bounded by the manifest (at most 4096 bytes) and a 32-byte
    /// look-behind window, whatever the file's size and whether its size was announced (SCP) or is
    /// known only at the end (FTP STOR). <see cref="Complete"/> gives exactly the verdicts and reasons
    /// of <see cref="SimulatorFirmwarePackage.TryRead"/>, in the same order of checks.
    /// </summary>
    public sealed class SimulatorPackageReceiver : IDisposable
    {
        internal const int IntegrityBytes = 32;
        internal const int MaxManifestBytes = 4096;
        private const int ManifestLengthOffset = 8;   // after the magic
        private const int ManifestOffset = 12;        // after the manifest length
        private const int SmallestPackage = ManifestOffset + 4 + IntegrityBytes;

        internal const string NotAPackage = "the file is not a firmware package for this card";
        internal const string IntegrityFailed = "the package failed its integrity check (it is corrupt or incomplete)";
        internal const string ManifestDamaged = "the package manifest is damaged";
        internal const string PayloadLengthMismatch = "the package payload length does not match the file";

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The last bytes seen: the integrity trailer once the file ends, so they are hashed only when newer bytes push them out.
        private readonly byte[] _lookBehind = new byte[IntegrityBytes];
        private readonly byte[] _header = new byte[ManifestOffset];
        private readonly byte[] _payloadLengthField = new byte[4];
        private int _lookBehindCount;
        private long _manifestLength = -1;
        private byte[]? _manifest;
        private long _received;
        private bool _completed;

        // Comparison with a verified reference (see VerifiedPackageReferences), decided where the payload starts.
        private readonly VerifiedPackageReferences? _references;
        private bool _decided;
        private string? _key;
        private byte[]? _reference;      // comparing: the bytes from _compareFrom on equal the reference so far
        private long _compareFrom;
        private byte[]? _recording;      // recording: this upload becomes the reference if it verifies

        /// <summary>A receiver that hashes everything (no reference store).</summary>
        public SimulatorPackageReceiver() : this(null) { }

        /// <summary>
        /// A receiver that checks a package equal to one in <paramref name="references"/> by comparison,
        /// and records a package not yet there, with the same verdicts as hashing it.
        /// </summary>
        public SimulatorPackageReceiver(VerifiedPackageReferences? references) => _references = references;

        /// <summary>Bytes fed to the hash so far (a reference match hashes only the header and manifest).</summary>
        internal long BytesHashed { get; private set; }

        /// <summary>Bytes taken in so far.</summary>
        public long BytesReceived => _received;

        /// <summary>Takes in the next <paramref name="count"/> bytes of the file.</summary>
        public void Append(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            if (_completed) throw new InvalidOperationException("The package has already been completed.");
            while (count > 0)
            {
                long payloadStart = PayloadStart;
                if (!_decided && payloadStart >= 0 && _received >= payloadStart) Decide(payloadStart);
                // Until the decision the chunk is taken up to the payload's first byte, so it happens exactly there.
                int take = count;
                if (!_decided && payloadStart >= 0) take = (int)Math.Min(count, payloadStart - _received);
                else if (!_decided && _received < ManifestOffset) take = (int)Math.Min(count, ManifestOffset - _received);
                Consume(buffer, offset, take);
                offset += take;
                count -= take;
            }
        }

        /// <summary>Where the payload starts, once the manifest length is known and plausible; else -1.</summary>
        private long PayloadStart => _manifest != null ? ManifestOffset + _manifestLength + 4 : -1;

        private void Consume(byte[] buffer, int offset, int count)
        {
            KeepFields(buffer, offset, count);
            if (_reference != null)
            {
                int same = MatchingPrefix(buffer, offset, count);
                if (same < count)
                {
                    // The first difference: from here on this is not the reference, so hash as usual.
                    StopComparing(_received + same);
                    HashAllButLookBehind(buffer, offset + same, count - same);
                }
            }
            else
            {
                if (_recording != null)
                {
                    if (_received + count <= _recording.Length) Buffer.BlockCopy(buffer, offset, _recording, (int)_received, count);
                    else StopRecording(); // longer than its header says: not a package worth keeping
                }
                HashAllButLookBehind(buffer, offset, count);
            }
            _received += count;
        }

        /// <summary>How many bytes of this chunk equal the reference at the same position.</summary>
        private int MatchingPrefix(byte[] buffer, int offset, int count)
        {
            var reference = _reference!;
            int available = (int)Math.Max(0, Math.Min(count, reference.Length - _received));
            var mine = new ReadOnlySpan<byte>(buffer, offset, available);
            var theirs = new ReadOnlySpan<byte>(reference, (int)_received, available);
            if (mine.SequenceEqual(theirs)) return available;
            int i = 0;
            while (mine[i] == theirs[i]) i++;
            return i;
        }

        /// <summary>Replays the reference bytes this upload matched, from where comparing began up to <paramref name="end"/>, into the hash.</summary>
        private void StopComparing(long end)
        {
            var reference = _reference!;
            _reference = null;
            if (end > _compareFrom) HashAllButLookBehind(reference, (int)_compareFrom, (int)(end - _compareFrom));
        }

        private void Decide(long payloadStart)
        {
            _decided = true;
            if (_references == null) return;
            long payloadLength = ReadUInt32(_payloadLengthField);
            _key = VerifiedPackageReferences.KeyFor(_manifest!, (int)_manifestLength, payloadLength);
            if (_references.TryGet(_key, out var reference))
            {
                _reference = reference;
                _compareFrom = _received;
                return;
            }
            long total = payloadStart + payloadLength + IntegrityBytes;
            if (total > int.MaxValue || !_references.TryStartRecording(_key, total)) return;
            _recording = new byte[total];
            // The bytes before the payload have gone by, but the receiver kept every one of them.
            Buffer.BlockCopy(_header, 0, _recording, 0, ManifestOffset);
            Buffer.BlockCopy(_manifest!, 0, _recording, ManifestOffset, (int)_manifestLength);
            Buffer.BlockCopy(_payloadLengthField, 0, _recording, (int)(ManifestOffset + _manifestLength), 4);
        }

        private void StopRecording()
        {
            if (_recording == null) return;
            _references!.Abandon(_key!, _recording.Length);
            _recording = null;
        }

        /// <summary>
        /// The verdict once the whole file has arrived: the package, or null and the card-style reason
        /// (not a package, integrity check failed, manifest damaged, payload length mismatch). Never throws.
        /// </summary>
        public SimulatorFirmwarePackage? Complete(out string? problem)
        {
            _completed = true;
            problem = null;
            if (_received < SmallestPackage || !MagicMatches())
            {
                problem = NotAPackage;
                return null;
            }
            bool identicalToReference = _reference != null && _received == _reference.Length;
            if (_reference != null && !identicalToReference) StopComparing(_received); // shorter than the reference
            if (!identicalToReference)
            {
                var expected = _hash.GetHashAndReset();
                for (int i = 0; i < IntegrityBytes; i++)
                {
                    if (expected[i] != _lookBehind[i])
                    {
                        problem = IntegrityFailed;
                        return null;
                    }
                }
            }
            long hashedEnd = _received - IntegrityBytes;
            if (_manifestLength > MaxManifestBytes || ManifestOffset + _manifestLength + 4 > hashedEnd)
            {
                problem = ManifestDamaged;
                return null;
            }
            long payloadLength = ReadUInt32(_payloadLengthField);
            if (ManifestOffset + _manifestLength + 4 + payloadLength != hashedEnd)
            {
                problem = PayloadLengthMismatch;
                return null;
            }
            var package = SimulatorFirmwarePackage.FromManifest(Encoding.UTF8.GetString(_manifest!, 0, (int)_manifestLength), out problem);
            if (_recording != null && package != null && _received == _recording.Length)
            {
                _references!.Publish(_key!, _recording);
                _recording = null;
            }
            return package;
        }

        /// <summary>Keeps the header, the (bounded) manifest and the payload length field as they pass by.</summary>
        private void KeepFields(byte[] buffer, int offset, int count)
        {
            CopyOverlap(buffer, offset, count, 0, _header, _header.Length);
            if (_manifestLength < 0 && _received + count >= ManifestOffset)
            {
                _manifestLength = ReadUInt32(_header, ManifestLengthOffset);
                if (_manifestLength <= MaxManifestBytes) _manifest = new byte[_manifestLength];
            }
            if (_manifest == null) return; // no length yet, or too long to be a manifest: the verdict needs no more
            CopyOverlap(buffer, offset, count, ManifestOffset, _manifest, _manifest.Length);
            CopyOverlap(buffer, offset, count, ManifestOffset + _manifestLength, _payloadLengthField, 4);
        }

        /// <summary>Copies the part of this chunk that falls in the file's [start, start + length) into <paramref name="target"/>.</summary>
        private void CopyOverlap(byte[] buffer, int offset, int count, long start, byte[] target, int length)
        {
            long from = Math.Max(start, _received);
            long to = Math.Min(start + length, _received + count);
            if (from >= to) return;
            Buffer.BlockCopy(buffer, offset + (int)(from - _received), target, (int)(from - start), (int)(to - from));
        }

        /// <summary>
        /// Hashes everything except the newest 32 bytes (the file's end is unknown until it comes, and
        /// the last 32 bytes are the trailer, which is not hashed).
        /// </summary>
        private void HashAllButLookBehind(byte[] buffer, int offset, int count)
        {
            int pending = _lookBehindCount + count;
            int toHash = Math.Max(0, pending - IntegrityBytes);
            int fromLookBehind = Math.Min(_lookBehindCount, toHash);
            BytesHashed += toHash;
            if (fromLookBehind > 0) _hash.AppendData(_lookBehind, 0, fromLookBehind);
            int fromBuffer = toHash - fromLookBehind;
            if (fromBuffer > 0) _hash.AppendData(buffer, offset, fromBuffer);

            int kept = _lookBehindCount - fromLookBehind;
            if (fromLookBehind > 0 && kept > 0) Buffer.BlockCopy(_lookBehind, fromLookBehind, _lookBehind, 0, kept);
            int added = count - fromBuffer;
            Buffer.BlockCopy(buffer, offset + fromBuffer, _lookBehind, kept, added);
            _lookBehindCount = kept + added;
        }

        private bool MagicMatches()
        {
            var magic = SimulatorFirmwarePackage.Magic;
            for (int i = 0; i < magic.Length; i++)
                if (_header[i] != magic[i]) return false;
            return true;
        }

        private static uint ReadUInt32(byte[] d, int pos = 0) => (uint)(d[pos] << 24 | d[pos + 1] << 16 | d[pos + 2] << 8 | d[pos + 3]);

        public void Dispose()
        {
            StopRecording(); // an upload that did not complete as a valid package leaves no reference
            _hash.Dispose();
        }
    }
}
