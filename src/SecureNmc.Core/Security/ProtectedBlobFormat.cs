namespace SecureNmc.Core.Security
{
    /// <summary>The first byte of every protected blob names its scheme, so formats can evolve and mix-ups are explained.</summary>
    internal static class ProtectedBlobFormat
    {
        /// <summary>[1][12-byte nonce][ciphertext][16-byte GCM tag], key from the key file.</summary>
        public const byte AesGcmKeyFileV1 = 1;

        /// <summary>[2][DPAPI CurrentUser blob].</summary>
        public const byte DpapiCurrentUserV1 = 2;

        public static string Describe(byte version) => version switch
        {
            AesGcmKeyFileV1 => "AES-256-GCM with the key file of a Linux/macOS data folder",
            DpapiCurrentUserV1 => "Windows DPAPI (current user)",
            _ => $"an unknown scheme (version byte {version})",
        };
    }
}
