using System;
using System.IO;
using System.Text;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// The clear-text start of a bundle. Everything in it is authenticated (it is the associated
    /// data of every encrypted chunk), so a changed cost parameter or salt cannot go unnoticed.
    /// </summary>
    internal sealed class BundleHeader
    {
        internal static readonly byte[] Magic = Encoding.ASCII.GetBytes("SNMCBNDL");
        internal const byte CurrentVersion = 1;
        internal const int SaltLength = 16;
        internal const int KeyCheckLength = 16;
        internal const int DefaultChunkSize = 1024 * 1024;

        public bool Encrypted { get; set; }
        public ScryptParameters? Kdf { get; set; }
        public byte[] Salt { get; set; } = Array.Empty<byte>();
        public byte[] KeyCheck { get; set; } = Array.Empty<byte>();
        public int ChunkSize { get; set; } = DefaultChunkSize;

        /// <summary>The exact bytes as written, kept for use as associated data.</summary>
        public byte[] Bytes { get; private set; } = Array.Empty<byte>();

        public byte[] Serialize()
        {
            var ms = new MemoryStream();
            ms.Write(Magic, 0, Magic.Length);
            ms.WriteByte(CurrentVersion);
            ms.WriteByte(Encrypted ? (byte)1 : (byte)0);
            if (Encrypted)
            {
                ms.WriteByte(1); // KDF id: scrypt
                ms.WriteByte((byte)Kdf!.LogN);
                ms.WriteByte((byte)Kdf.R);
                ms.WriteByte((byte)Kdf.P);
                ms.Write(Salt, 0, SaltLength);
                ms.Write(KeyCheck, 0, KeyCheckLength);
                ms.WriteByte(1); // AEAD id: AES-256-GCM in chunks
                BinaryPrimitives.WriteUInt32(ms, (uint)ChunkSize);
            }
            Bytes = ms.ToArray();
            return Bytes;
        }

        public static BundleHeader Read(Stream input, BundleLimits limits)
        {
            var ms = new MemoryStream();
            byte[] magic = ReadExactly(input, Magic.Length, ms, "the bundle header");
            for (int i = 0; i < Magic.Length; i++)
            {
                if (magic[i] != Magic[i])
                    throw new BundleException(BundleError.NotABundle, "This file is not a SecureNmc bundle (its first bytes are not the bundle signature). Check that you picked the .snmc bundle exported by Export-NmcBundle -Format Bundle.");
            }
            byte version = ReadExactly(input, 1, ms, "the bundle header")[0];
            if (version != CurrentVersion)
                throw new BundleException(BundleError.UnsupportedVersion, $"The bundle uses format version {version}; this module reads version {CurrentVersion}. Update SecureNmc on this machine, or export again with the same module version.");
            var header = new BundleHeader();
            byte mode = ReadExactly(input, 1, ms, "the bundle header")[0];
            if (mode > 1) throw new BundleException(BundleError.Malformed, $"The bundle header names an unknown protection mode ({mode}).");
            header.Encrypted = mode == 1;
            if (header.Encrypted)
            {
                byte kdf = ReadExactly(input, 1, ms, "the bundle header")[0];
                if (kdf != 1) throw new BundleException(BundleError.Malformed, $"The bundle header names an unknown key derivation ({kdf}).");
                var cost = ReadExactly(input, 3, ms, "the bundle header");
                var costProblem = limits.ScryptProblem(cost[0], cost[1], cost[2]);
                if (costProblem != null)
                    throw new BundleException(BundleError.TooLarge, $"The bundle asks for key-derivation cost N=2^{cost[0]}, r={cost[1]}, p={cost[2]}, outside what this module accepts ({costProblem}). Export-NmcBundle never writes such a header; the file was altered or not made by it.");
                header.Kdf = new ScryptParameters(cost[0], cost[1], cost[2]);
                header.Salt = ReadExactly(input, SaltLength, ms, "the bundle header");
                header.KeyCheck = ReadExactly(input, KeyCheckLength, ms, "the bundle header");
                byte aead = ReadExactly(input, 1, ms, "the bundle header")[0];
                if (aead != 1) throw new BundleException(BundleError.Malformed, $"The bundle header names an unknown cipher ({aead}).");
                uint chunk = BinaryPrimitives.ReadUInt32(ReadExactly(input, 4, ms, "the bundle header"), 0);
                if (chunk < 1024 || chunk > limits.MaxChunkBytes)
                    throw new BundleException(BundleError.TooLarge, $"The bundle's chunk size {chunk} is outside 1 KiB..{limits.MaxChunkBytes} bytes.");
                header.ChunkSize = (int)chunk;
            }
            header.Bytes = ms.ToArray();
            return header;
        }

        internal static byte[] ReadExactly(Stream input, int count, MemoryStream? copy, string what)
        {
            var buffer = new byte[count];
            int read = 0;
            while (read < count)
            {
                int n = input.Read(buffer, read, count - read);
                if (n == 0) throw new BundleException(BundleError.Truncated, $"The bundle ends inside {what}: the file is truncated (an incomplete copy or download). Copy or export it again.");
                read += n;
            }
            copy?.Write(buffer, 0, count);
            return buffer;
        }
    }
}
