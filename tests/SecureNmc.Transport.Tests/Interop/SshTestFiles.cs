using System;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>
    /// The file sizes issue 3 names (0 B, 1 B, 1 MiB, 20 MiB), generated once per test run and shared
    /// by every matrix case: regenerating 20 MiB of random bytes per algorithm would cost more than the transfer.
    /// </summary>
    internal static class SshTestFiles
    {
        public const int OneMiB = 1 << 20;
        public const int TwentyMiB = 20 << 20;

        private static readonly Lazy<byte[]> Empty = new Lazy<byte[]>(() => Array.Empty<byte>());
        private static readonly Lazy<byte[]> OneByte = new Lazy<byte[]>(() => SshInteropHelpers.RandomBytes(1, 11));
        private static readonly Lazy<byte[]> Mebibyte = new Lazy<byte[]>(() => SshInteropHelpers.RandomBytes(OneMiB, 12));
        private static readonly Lazy<byte[]> Twenty = new Lazy<byte[]>(() => SshInteropHelpers.RandomBytes(TwentyMiB, 13));

        /// <summary>Shared content of the given size (one of the four sizes above). Callers must not modify it.</summary>
        public static byte[] OfSize(int size) => size switch
        {
            0 => Empty.Value,
            1 => OneByte.Value,
            OneMiB => Mebibyte.Value,
            TwentyMiB => Twenty.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Only 0, 1, 1 MiB and 20 MiB are shared test files."),
        };

        public static readonly int[] AllSizes = { 0, 1, OneMiB, TwentyMiB };
    }
}
