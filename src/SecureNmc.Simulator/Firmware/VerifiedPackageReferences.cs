using System;
using System.Collections.Generic;

namespace SecureNmc.Simulator.Firmware
{
    /// <summary>
    /// Packages simulated cards have already received and verified, kept so that the next card
    /// receiving the same bytes can check them by comparison instead of hashing them again.
    /// </summary>
    /// <remarks>
    /// Why: a fleet rehearsal or benchmark sends the same package to hundreds of cards, and a real
    /// card checks its package on its own processor. Hashing every copy here put the simulator's
    /// SHA-256 among the largest CPU costs of a 1,000-card run, competing with the engine being
    /// measured. Comparing against a verified copy gives exactly the same verdict: bytes equal to a
    /// package whose integrity trailer was checked are that package; at the first differing byte
    /// the receiver replays the matching prefix into its hash and hashes from there on.
    /// A reference is keyed by the package's manifest and payload length and recorded by one upload
    /// at a time; the total kept is capped, so memory stays bounded whatever the fleet sends.
    /// </remarks>
    public sealed class VerifiedPackageReferences
    {
        /// <summary>The store simulated cards share (content-keyed, so any fleet in the process may use it).</summary>
        /// <remarks>Packages up to 8 MiB are remembered (the simulator's test packages); larger ones are always hashed.</remarks>
        public static VerifiedPackageReferences Shared { get; } = new VerifiedPackageReferences(64L * 1024 * 1024, 8L * 1024 * 1024);

        private readonly object _gate = new object();
        private readonly Dictionary<string, byte[]> _verified = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly HashSet<string> _recording = new HashSet<string>(StringComparer.Ordinal);
        private long _bytesKept;

        public VerifiedPackageReferences(long maxBytes, long maxPackageBytes)
        {
            if (maxBytes < 0) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The reference budget cannot be negative.");
            if (maxPackageBytes < 0) throw new ArgumentOutOfRangeException(nameof(maxPackageBytes), maxPackageBytes, "The largest package to remember cannot be negative.");
            MaxBytes = maxBytes;
            MaxPackageBytes = maxPackageBytes;
        }

        /// <summary>The most bytes of references kept at once.</summary>
        public long MaxBytes { get; }

        /// <summary>The largest package remembered; a larger one is hashed by every card that receives it.</summary>
        public long MaxPackageBytes { get; }

        public long BytesKept { get { lock (_gate) return _bytesKept; } }

        internal static string KeyFor(byte[] manifest, int manifestLength, long payloadLength) =>
            payloadLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(manifest, 0, manifestLength);

        internal bool TryGet(string key, out byte[] package)
        {
            lock (_gate) return _verified.TryGetValue(key, out package!);
        }

        /// <summary>True when the caller should record this package (none kept yet, nobody recording it, and it fits).</summary>
        internal bool TryStartRecording(string key, long totalLength)
        {
            lock (_gate)
            {
                if (totalLength > MaxPackageBytes || _verified.ContainsKey(key) || _recording.Contains(key) || _bytesKept + totalLength > MaxBytes) return false;
                _recording.Add(key);
                _bytesKept += totalLength; // reserved while recording, so concurrent recordings respect the cap
                return true;
            }
        }

        /// <summary>Keeps a recorded package that passed its integrity check (its bytes were reserved when recording began).</summary>
        internal void Publish(string key, byte[] package)
        {
            lock (_gate)
            {
                _recording.Remove(key);
                _verified[key] = package;
            }
        }

        /// <summary>Gives up a recording (the upload failed, was cut off, or was not a valid package).</summary>
        internal void Abandon(string key, long reserved)
        {
            lock (_gate)
            {
                if (_recording.Remove(key)) _bytesKept -= reserved;
            }
        }
    }
}
