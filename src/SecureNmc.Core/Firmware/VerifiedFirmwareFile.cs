using System;
using System.IO;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// An open firmware file whose size and SHA-256 were checked against the catalog a moment ago.
    /// The bytes sent are read from this same handle, opened without write sharing, so the file that
    /// was checked is the file that is sent (on Windows other writers are locked out; on Unix the
    /// lock is advisory, which is why the check happens per send rather than once per run).
    /// </summary>
    public sealed class VerifiedFirmwareFile : IDisposable
    {
        private readonly FileStream _stream;

        private VerifiedFirmwareFile(FirmwarePackage package, FileStream stream)
        {
            Package = package;
            _stream = stream;
        }

        public FirmwarePackage Package { get; }
        public Stream Content => _stream;
        public long Length => Package.Size;

        /// <summary>Opens and checks <paramref name="path"/>; throws <see cref="FirmwareIntegrityException"/> when it is not the package.</summary>
        public static VerifiedFirmwareFile Open(FirmwarePackage package, string path)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            }
            catch (FileNotFoundException)
            {
                throw new FirmwareIntegrityException(package.FileName, $"Firmware file {package.FileName} is missing from the cache ({path}). Import it again (Import-NmcFirmware) or download it from the catalog service.");
            }
            catch (DirectoryNotFoundException)
            {
                throw new FirmwareIntegrityException(package.FileName, $"Firmware file {package.FileName} is missing from the cache ({path}). Import it again (Import-NmcFirmware) or download it from the catalog service.");
            }
            try
            {
                if (stream.Length != package.Size)
                    throw new FirmwareIntegrityException(package.FileName,
                        $"Firmware file {package.FileName} in the cache is {stream.Length} bytes but the catalog says {package.Size}: it is truncated or altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.");
                var actual = Sha256Hex.Of(stream);
                if (!Sha256Hex.Same(actual, package.Sha256))
                    throw new FirmwareIntegrityException(package.FileName,
                        $"Firmware file {package.FileName} in the cache has SHA-256 {actual} but the catalog says {package.Sha256}: it was altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.");
                stream.Position = 0;
                return new VerifiedFirmwareFile(package, stream);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
