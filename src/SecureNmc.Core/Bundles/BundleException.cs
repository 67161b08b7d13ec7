using System;

namespace SecureNmc.Core.Bundles
{
    /// <summary>Why a bundle was refused. Every case leaves the inventory untouched.</summary>
    public enum BundleError
    {
        NotABundle,
        UnsupportedVersion,
        PasswordRequired,
        WrongPassword,
        /// <summary>The file ends before its final authenticated chunk or declared part.</summary>
        Truncated,
        /// <summary>Authentication or a part hash failed: the bytes were changed after export.</summary>
        Tampered,
        UnsafeName,
        DuplicateEntry,
        /// <summary>A declared size, count or expansion beyond the limits the reader accepts.</summary>
        TooLarge,
        Malformed,
    }

    public sealed class BundleException : Exception
    {
        public BundleException(BundleError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

        public BundleError Error { get; }
    }
}
