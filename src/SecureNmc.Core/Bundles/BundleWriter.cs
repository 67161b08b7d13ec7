using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Writes a bundle: header, then the payload (manifest with every part's SHA-256, the parts,
    /// an end marker), encrypted in authenticated chunks when a password is given, otherwise
    /// followed by a SHA-256 of everything before it. See docs/bundle-format.md.
    /// </summary>
    public static class BundleWriter
    {
        internal static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("SNMCEND1");

        /// <summary>
        /// Writes <paramref name="parts"/> to <paramref name="output"/>. A null password writes an
        /// unencrypted bundle, which must not hold credentials (the caller enforces that).
        /// </summary>
        public static void Write(Stream output, IReadOnlyList<BundlePartSource> parts, char[]? password, ScryptParameters? cost = null, int chunkSize = BundleHeader.DefaultChunkSize)
        {
            if (output == null) throw new ArgumentNullException(nameof(output));
            if (parts == null) throw new ArgumentNullException(nameof(parts));
            ValidateNames(parts);

            var prepared = parts.Select(Prepare).ToList();
            WriteRaw(output, password, cost ?? ScryptParameters.Default, chunkSize, payload => WritePayload(payload, prepared));
        }

        /// <summary>
        /// As <see cref="Write(Stream, IReadOnlyList{BundlePartSource}, char[], ScryptParameters, int)"/>, but the parts are
        /// built once the password's keys exist: <paramref name="buildParts"/> gets the bundle's
        /// <see cref="BundleSecretBox"/> (null for an unencrypted bundle) to seal device passwords with.
        /// </summary>
        public static void Write(Stream output, Func<BundleSecretBox?, IReadOnlyList<BundlePartSource>> buildParts, char[]? password, ScryptParameters? cost = null, int chunkSize = BundleHeader.DefaultChunkSize)
        {
            if (output == null) throw new ArgumentNullException(nameof(output));
            if (buildParts == null) throw new ArgumentNullException(nameof(buildParts));
            WriteFramed(output, password, cost ?? ScryptParameters.Default, chunkSize, (payload, box) =>
            {
                var parts = buildParts(box);
                ValidateNames(parts);
                WritePayload(payload, parts.Select(Prepare).ToList());
            });
        }

        /// <summary>
        /// Frames and protects a payload written by <paramref name="writePayload"/>. Internal so tests
        /// can forge hostile payloads (lying manifests, traversal names) that are correctly sealed,
        /// exactly what an attacker who knows the password could produce.
        /// </summary>
        internal static void WriteRaw(Stream output, char[]? password, ScryptParameters cost, int chunkSize, Action<Stream> writePayload) =>
            WriteFramed(output, password, cost, chunkSize, (payload, _) => writePayload(payload));

        private static void WriteFramed(Stream output, char[]? password, ScryptParameters cost, int chunkSize, Action<Stream, BundleSecretBox?> writePayload)
        {
            var header = new BundleHeader { Encrypted = password != null, ChunkSize = chunkSize };
            BundleKeys? keys = null;
            BundleSecretBox? box = null;
            try
            {
                if (password != null)
                {
                    if (password.Length == 0) throw new ArgumentException("A bundle password cannot be empty.", nameof(password));
                    header.Kdf = cost;
                    header.Salt = RandomBytes(BundleHeader.SaltLength);
                    keys = BundleKeys.Derive(password, header.Salt, header.Kdf);
                    header.KeyCheck = keys.KeyCheck;
                    box = new BundleSecretBox(keys.CredentialKey);
                }
                var headerBytes = header.Serialize();
                output.Write(headerBytes, 0, headerBytes.Length);

                if (keys != null)
                {
                    var sealedPayload = new ChunkedAeadWriteStream(output, keys.EncryptionKey, headerBytes, chunkSize);
                    writePayload(sealedPayload, box);
                    sealedPayload.Complete();
                }
                else
                {
                    using var sha = SHA256.Create();
                    sha.TransformBlock(headerBytes, 0, headerBytes.Length, null, 0);
                    using (var hashing = new CryptoStream(new NonClosingStream(output), sha, CryptoStreamMode.Write))
                    {
                        writePayload(hashing, null);
                    }
                    output.Write(sha.Hash, 0, sha.Hash.Length);
                }
                output.Flush();
            }
            finally
            {
                box?.Dispose();
                keys?.Dispose();
            }
        }

        private static void ValidateNames(IReadOnlyList<BundlePartSource> parts)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in parts)
            {
                var problem = BundleNames.Problem(part.Name);
                if (problem != null) throw new ArgumentException($"Cannot export part '{part.Name}': {problem}.");
                if (!seen.Add(part.Name)) throw new ArgumentException($"Cannot export two parts named '{part.Name}'.");
            }
        }

        private sealed class PreparedPart
        {
            public ManifestEntry Entry = new ManifestEntry();
            public byte[]? Stored;
            public string? FilePath;
        }

        private static PreparedPart Prepare(BundlePartSource part)
        {
            var prepared = new PreparedPart();
            prepared.Entry.Name = part.Name;
            prepared.Entry.Kind = part.Kind;
            using var sha = SHA256.Create();
            if (part.Content != null)
            {
                var compressed = new MemoryStream();
                using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                    deflate.Write(part.Content, 0, part.Content.Length);
                prepared.Stored = compressed.ToArray();
                prepared.Entry.Compression = 1;
                prepared.Entry.Length = (ulong)part.Content.Length;
                prepared.Entry.Sha256 = sha.ComputeHash(part.Content);
            }
            else
            {
                using var file = File.OpenRead(part.FilePath!);
                prepared.FilePath = part.FilePath;
                prepared.Entry.Length = (ulong)file.Length;
                prepared.Entry.Sha256 = sha.ComputeHash(file);
            }
            prepared.Entry.StoredLength = prepared.Stored != null ? (ulong)prepared.Stored.Length : prepared.Entry.Length;
            return prepared;
        }

        private static void WritePayload(Stream payload, List<PreparedPart> parts)
        {
            var manifest = new MemoryStream();
            BinaryPrimitives.WriteUInt32(manifest, (uint)parts.Count);
            foreach (var part in parts)
            {
                var name = Encoding.UTF8.GetBytes(part.Entry.Name);
                BinaryPrimitives.WriteUInt16(manifest, (ushort)name.Length);
                manifest.Write(name, 0, name.Length);
                manifest.WriteByte((byte)part.Entry.Kind);
                manifest.WriteByte(part.Entry.Compression);
                BinaryPrimitives.WriteUInt64(manifest, part.Entry.Length);
                BinaryPrimitives.WriteUInt64(manifest, part.Entry.StoredLength);
                manifest.Write(part.Entry.Sha256, 0, 32);
            }
            BinaryPrimitives.WriteUInt32(payload, (uint)manifest.Length);
            manifest.Position = 0;
            manifest.CopyTo(payload);

            foreach (var part in parts)
            {
                if (part.Stored != null)
                {
                    payload.Write(part.Stored, 0, part.Stored.Length);
                    continue;
                }
                using var file = File.OpenRead(part.FilePath!);
                if ((ulong)file.Length != part.Entry.Length)
                    throw new IOException($"The file '{part.FilePath}' changed size while the bundle was being written; export again.");
                file.CopyTo(payload, 81920);
            }
            payload.Write(EndMarker, 0, EndMarker.Length);
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(bytes);
            return bytes;
        }
    }

    /// <summary>Lets a CryptoStream be closed (to finish hashing) without closing the file under it.</summary>
    internal sealed class NonClosingStream : Stream
    {
        private readonly Stream _inner;
        public NonClosingStream(Stream inner) => _inner = inner;
        public override bool CanRead => _inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => _inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
        protected override void Dispose(bool disposing) => _inner.Flush();
    }
}
