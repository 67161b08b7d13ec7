using System;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// A firmware file is missing, truncated or altered: its size or SHA-256 no longer matches the
    /// catalog. Such a file is never sent to a card.
    /// </summary>
    public sealed class FirmwareIntegrityException : Exception
    {
        public FirmwareIntegrityException(string fileName, string message) : base(message)
        {
            FileName = fileName;
        }

        public string FileName { get; }
    }

    /// <summary>The library does not have, and cannot obtain, a package it was asked for.</summary>
    public sealed class FirmwareNotAvailableException : Exception
    {
        public FirmwareNotAvailableException(string fileName, string message, Exception? inner = null) : base(message, inner)
        {
            FileName = fileName;
        }

        public string FileName { get; }
    }
}
