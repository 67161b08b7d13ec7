using System;
using System.IO;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// The checks a cached package file must pass before any of its bytes leave the library, and the
    /// exact refusals (one wording whether the file is streamed from disk or read into a shared copy).
    /// </summary>
    internal static class CacheFileVerification
    {
        /// <summary>Opens the cache file for reading, refusing writers where the OS honours that; a missing file is an integrity failure.</summary>
        public static FileStream OpenCacheFile(FirmwarePackage package, string path)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            }
            catch (FileNotFoundException)
            {
                throw Missing(package, path);
            }
            catch (DirectoryNotFoundException)
            {
                throw Missing(package, path);
            }
        }

        /// <summary>
        /// Reads the whole file into a new array and checks its size and SHA-256. The array is what
        /// was hashed, so whoever sends from it sends exactly the verified bytes, whatever happens to
        /// the file afterwards.
        /// </summary>
        public static byte[] ReadVerified(FirmwarePackage package, string path, Func<Stream, string> hash)
        {
            using (var file = OpenCacheFile(package, path))
            {
                if (file.Length != package.Size) throw WrongSize(package, file.Length);
                var buffer = new byte[package.Size];
                var filled = 0;
                while (filled < buffer.Length)
                {
                    var read = file.Read(buffer, filled, buffer.Length - filled);
                    if (read == 0) break;
                    filled += read;
                }
                // The file can shrink or grow between the length check and the read (another writer).
                if (filled != buffer.Length) throw WrongSize(package, filled);
                if (file.ReadByte() != -1) throw WrongSize(package, Math.Max(file.Length, package.Size + 1));
                CheckHash(package, hash(new MemoryStream(buffer, writable: false)));
                return buffer;
            }
        }

        /// <summary>Checks the size and SHA-256 of an open file, then rewinds it for sending.</summary>
        public static void VerifyAndRewind(FirmwarePackage package, FileStream file, Func<Stream, string> hash)
        {
            if (file.Length != package.Size) throw WrongSize(package, file.Length);
            CheckHash(package, hash(file));
            file.Position = 0;
        }

        private static void CheckHash(FirmwarePackage package, string actual)
        {
            if (!Sha256Hex.Same(actual, package.Sha256))
                throw new FirmwareIntegrityException(package.FileName,
                    $"Firmware file {package.FileName} in the cache has SHA-256 {actual} but the catalog says {package.Sha256}: it was altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.");
        }

        private static FirmwareIntegrityException WrongSize(FirmwarePackage package, long actualSize) =>
            new FirmwareIntegrityException(package.FileName,
                $"Firmware file {package.FileName} in the cache is {actualSize} bytes but the catalog says {package.Size}: it is truncated or altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.");

        private static FirmwareIntegrityException Missing(FirmwarePackage package, string path) =>
            new FirmwareIntegrityException(package.FileName,
                $"Firmware file {package.FileName} is missing from the cache ({path}). Import it again (Import-NmcFirmware) or download it from the catalog service.");
    }
}
