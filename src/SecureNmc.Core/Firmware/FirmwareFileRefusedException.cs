using System;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// A file offered as firmware that is not a plain package file of a plausible size (a link, a
    /// pipe, a device, an empty or oversized file). Distinct from a bad name, so the advice fits.
    /// </summary>
    public sealed class FirmwareFileRefusedException : Exception
    {
        public FirmwareFileRefusedException(string path, string message) : base(message) => FilePath = path;

        public string FilePath { get; }
    }
}
