using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Reads and verifies a whole bundle before anything is applied: password, every chunk's tag,
    /// every part's size and SHA-256, names, counts and sizes within <see cref="BundleLimits"/>.
    /// Parts are staged in a private folder; callers import from there only after this returns.
    /// </summary>
    public static class BundleReader
    {
        public static VerifiedBundle Read(Stream input, char[]? password, string stagingRoot, BundleLimits? limits = null)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            limits ??= BundleLimits.Default;
            var header = BundleHeader.Read(input, limits);

            var staging = Path.Combine(stagingRoot, "bundle-" + Guid.NewGuid().ToString("N"));
            Storage.PhysicalFileOperations.CreateOwnerOnlyDirectory(staging); // decrypted parts land here
            try
            {
                BundleSecretBox? box = null;
                var parts = header.Encrypted ? ReadEncrypted(input, header, password, staging, limits, out box) : ReadPlain(input, header, staging, limits);
                return new VerifiedBundle(header.Encrypted, parts, staging, box);
            }
            catch
            {
                TryDelete(staging);
                throw;
            }
        }

        private static List<VerifiedBundlePart> ReadEncrypted(Stream input, BundleHeader header, char[]? password, string staging, BundleLimits limits, out BundleSecretBox? box)
        {
            box = null;
            if (password == null || password.Length == 0)
                throw new BundleException(BundleError.PasswordRequired, "This bundle is password-protected: pass the password it was exported with (-Password).");
            using var keys = BundleKeys.Derive(password, header.Salt, header.Kdf!);
            if (!keys.Matches(header.KeyCheck))
                throw new BundleException(BundleError.WrongPassword, "The password does not open this bundle (or its header was altered). Check the password used with Export-NmcBundle.");
            var payload = new ChunkedAeadReadStream(input, keys.EncryptionKey, header.Bytes, header.ChunkSize);
            var parts = ReadPayload(payload, staging, limits);
            payload.EnsureAtEnd();
            box = new BundleSecretBox(keys.CredentialKey);
            return parts;
        }

        private static List<VerifiedBundlePart> ReadPlain(Stream input, BundleHeader header, string staging, BundleLimits limits)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header.Bytes);
            var hashing = new HashingReadStream(input, hash);
            var parts = ReadPayload(hashing, staging, limits);
            var expected = hash.GetHashAndReset();
            var trailer = BundleHeader.ReadExactly(input, 32, null, "the bundle's closing checksum");
            if (!FixedTimeEquals(expected, trailer))
                throw new BundleException(BundleError.Tampered, "The bundle's checksum does not match its contents: it was altered or corrupted after export.");
            if (input.ReadByte() != -1)
                throw new BundleException(BundleError.Tampered, "The bundle has bytes after its closing checksum: it was altered after export.");
            return parts;
        }

        private static List<VerifiedBundlePart> ReadPayload(Stream payload, string staging, BundleLimits limits)
        {
            var manifest = ReadManifest(payload, limits);
            var parts = new List<VerifiedBundlePart>(manifest.Count);
            for (int i = 0; i < manifest.Count; i++)
            {
                var entry = manifest[i];
                var path = Path.Combine(staging, i.ToString("D5") + ".part");
                StagePart(payload, entry, path);
                parts.Add(new VerifiedBundlePart(entry.Name, entry.Kind, (long)entry.Length, entry.Sha256, path));
            }
            var end = BundleHeader.ReadExactly(payload, BundleWriter.EndMarker.Length, null, "the end of the bundle");
            if (!FixedTimeEquals(end, BundleWriter.EndMarker))
                throw new BundleException(BundleError.Tampered, "The bundle's parts do not end where its manifest says: it was altered after export.");
            return parts;
        }

        private static List<ManifestEntry> ReadManifest(Stream payload, BundleLimits limits)
        {
            uint manifestLength = BinaryPrimitives.ReadUInt32(BundleHeader.ReadExactly(payload, 4, null, "the manifest"), 0);
            if (manifestLength < 4 || manifestLength > (uint)limits.MaxManifestBytes)
                throw new BundleException(BundleError.TooLarge, $"The bundle's manifest claims {manifestLength} bytes (limit {limits.MaxManifestBytes}).");
            var bytes = BundleHeader.ReadExactly(payload, (int)manifestLength, null, "the manifest");
            int pos = 0;
            uint count = BinaryPrimitives.ReadUInt32(bytes, pos);
            pos += 4;
            if (count > (uint)limits.MaxEntries)
                throw new BundleException(BundleError.TooLarge, $"The bundle claims {count} parts (limit {limits.MaxEntries}).");
            var entries = new List<ManifestEntry>((int)count);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            ulong total = 0;
            for (uint i = 0; i < count; i++)
            {
                Need(bytes, pos, 2);
                int nameLength = BinaryPrimitives.ReadUInt16(bytes, pos);
                pos += 2;
                if (nameLength > limits.MaxNameBytes) throw new BundleException(BundleError.UnsafeName, $"Part {i} has a {nameLength}-byte name (limit {limits.MaxNameBytes}).");
                Need(bytes, pos, nameLength + 2 + 16 + 32);
                var name = Encoding.UTF8.GetString(bytes, pos, nameLength);
                pos += nameLength;
                var problem = BundleNames.Problem(name, limits.MaxNameBytes);
                if (problem != null) throw new BundleException(BundleError.UnsafeName, $"The bundle was refused: {problem}.");
                if (!names.Add(name)) throw new BundleException(BundleError.DuplicateEntry, $"The bundle holds the part '{name}' twice; it was not made by Export-NmcBundle or was altered.");
                var entry = new ManifestEntry { Name = name, Kind = (BundlePartKind)bytes[pos], Compression = bytes[pos + 1] };
                pos += 2;
                if (!Enum.IsDefined(typeof(BundlePartKind), entry.Kind)) throw new BundleException(BundleError.Malformed, $"Part '{name}' has an unknown kind ({(byte)entry.Kind}).");
                if (entry.Compression > 1) throw new BundleException(BundleError.Malformed, $"Part '{name}' uses an unknown compression ({entry.Compression}).");
                entry.Length = BinaryPrimitives.ReadUInt64(bytes, pos);
                entry.StoredLength = BinaryPrimitives.ReadUInt64(bytes, pos + 8);
                pos += 16;
                if (entry.Length > (ulong)limits.MaxEntryBytes || entry.StoredLength > (ulong)limits.MaxEntryBytes)
                    throw new BundleException(BundleError.TooLarge, $"Part '{name}' claims {entry.Length} bytes (limit {limits.MaxEntryBytes}).");
                if (entry.Compression == 0 && entry.StoredLength != entry.Length)
                    throw new BundleException(BundleError.Malformed, $"Part '{name}' is stored uncompressed but its sizes disagree.");
                total += entry.Length;
                if (total > (ulong)limits.MaxTotalBytes) throw new BundleException(BundleError.TooLarge, $"The bundle's parts add up to more than {limits.MaxTotalBytes} bytes.");
                entry.Sha256 = new byte[32];
                Buffer.BlockCopy(bytes, pos, entry.Sha256, 0, 32);
                pos += 32;
                entries.Add(entry);
            }
            if (pos != bytes.Length) throw new BundleException(BundleError.Malformed, "The bundle's manifest has trailing bytes.");
            return entries;
        }

        private static void Need(byte[] bytes, int pos, int count)
        {
            if (pos + count > bytes.Length) throw new BundleException(BundleError.Malformed, "The bundle's manifest is cut short.");
        }

        /// <summary>Copies one part to disk, never accepting more bytes than declared (decompression bombs).</summary>
        private static void StagePart(Stream payload, ManifestEntry entry, string path)
        {
            var stored = new BoundedReadStream(payload, (long)entry.StoredLength);
            using var sha = SHA256.Create();
            long written = 0;
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                Stream source = entry.Compression == 1 ? new DeflateStream(stored, CompressionMode.Decompress, leaveOpen: true) : stored;
                var buffer = new byte[81920];
                try
                {
                    int n;
                    while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        written += n;
                        if ((ulong)written > entry.Length)
                            throw new BundleException(BundleError.TooLarge, $"Part '{entry.Name}' expands beyond its declared {entry.Length} bytes (a decompression bomb or an altered bundle); nothing was imported.");
                        sha.TransformBlock(buffer, 0, n, null, 0);
                        file.Write(buffer, 0, n);
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new BundleException(BundleError.Tampered, $"Part '{entry.Name}' is not valid compressed data: the bundle was altered.", ex);
                }
                finally
                {
                    if (!ReferenceEquals(source, stored)) source.Dispose();
                }
            }
            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            if ((ulong)written != entry.Length || stored.Remaining != 0)
                throw new BundleException(written < (long)entry.Length && stored.Remaining > 0 ? BundleError.Truncated : BundleError.Tampered,
                    $"Part '{entry.Name}' holds {written} bytes where the manifest declares {entry.Length}: the bundle was altered or cut short.");
            if (!FixedTimeEquals(sha.Hash, entry.Sha256))
                throw new BundleException(BundleError.Tampered, $"Part '{entry.Name}' does not match its SHA-256 in the manifest: the bundle was altered or corrupted.");
        }

        internal static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        internal static void TryDelete(string folder)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
