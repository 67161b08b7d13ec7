using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Firmware
{
    /// <summary>What the update engine needs from the library: the bytes of a package, checked right before sending.</summary>
    public interface IFirmwareSource
    {
        /// <summary>
        /// Returns the package's file, verified against its size and SHA-256 (downloading it first
        /// when the library can). Throws <see cref="FirmwareIntegrityException"/> for a tampered or
        /// truncated file and <see cref="FirmwareNotAvailableException"/> when it cannot be had.
        /// </summary>
        Task<VerifiedFirmwareFile> OpenVerifiedAsync(FirmwarePackage package, CancellationToken cancellationToken);
    }
}
