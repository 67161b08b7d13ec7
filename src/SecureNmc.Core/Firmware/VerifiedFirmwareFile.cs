using System;
using System.IO;
using System.Threading;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// A firmware package whose size and SHA-256 were checked against the catalog, and the stream to
    /// send it from. Two forms, same guarantee to the caller:
    /// <list type="bullet">
    /// <item>a read-only stream over the library's shared in-memory copy (what
    /// <see cref="FirmwareLibrary.OpenVerifiedAsync"/> normally returns): the bytes sent are the very
    /// bytes that were hashed, on every platform;</item>
    /// <item>a file handle that was hashed and rewound (<see cref="Open"/>, and the library's fallback
    /// when a package does not fit its memory budget): opened without write sharing, so on Windows
    /// the checked file is the sent file; on Unix that lock is advisory, which is why this form is
    /// checked per send rather than once per run.</item>
    /// </list>
    /// Dispose it when the upload is done: the last holder of a shared copy lets it go.
    /// </summary>
    public sealed class VerifiedFirmwareFile : IDisposable
    {
        private readonly Stream _content;
        private IDisposable? _sharedCopyHold;

        private VerifiedFirmwareFile(FirmwarePackage package, Stream content, IDisposable? sharedCopyHold)
        {
            Package = package;
            _content = content;
            _sharedCopyHold = sharedCopyHold;
        }

        public FirmwarePackage Package { get; }
        public Stream Content => _content;
        public long Length => Package.Size;

        /// <summary>True when <see cref="Content"/> reads a shared verified copy in memory rather than the file.</summary>
        internal bool IsSharedCopy => _content is MemoryStream;

        /// <summary>Opens and checks <paramref name="path"/>; throws <see cref="FirmwareIntegrityException"/> when it is not the package.</summary>
        public static VerifiedFirmwareFile Open(FirmwarePackage package, string path) => Open(package, path, Sha256Hex.Of);

        internal static VerifiedFirmwareFile Open(FirmwarePackage package, string path, Func<Stream, string> hash)
        {
            var file = CacheFileVerification.OpenCacheFile(package, path);
            try
            {
                CacheFileVerification.VerifyAndRewind(package, file, hash);
                return new VerifiedFirmwareFile(package, file, null);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A holder of <paramref name="verifiedBytes"/>, which the caller has checked and nobody writes:
        /// its own read-only stream over the same array (no copy), so holders never move each other's position.
        /// </summary>
        internal static VerifiedFirmwareFile OverSharedCopy(FirmwarePackage package, byte[] verifiedBytes, IDisposable hold) =>
            new VerifiedFirmwareFile(package, new MemoryStream(verifiedBytes, 0, verifiedBytes.Length, writable: false, publiclyVisible: false), hold);

        public void Dispose()
        {
            _content.Dispose();
            Interlocked.Exchange(ref _sharedCopyHold, null)?.Dispose();
        }
    }
}
