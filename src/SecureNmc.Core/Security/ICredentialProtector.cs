namespace SecureNmc.Core.Security
{
    /// <summary>
    /// Encrypts secrets for the current user at rest (device passwords now; account tokens and
    /// bundles later). The associated data binds a blob to its owner (e.g. the device id): a blob
    /// copied onto another record does not decrypt.
    /// </summary>
    public interface ICredentialProtector
    {
        /// <summary>Short name of the scheme, for diagnostics ("DPAPI CurrentUser", "AES-256-GCM key file").</summary>
        string Scheme { get; }

        byte[] Protect(byte[] plaintext, byte[] associatedData);

        /// <summary>Throws <see cref="CredentialProtectionException"/> when the blob was made by another user/key or was altered.</summary>
        byte[] Unprotect(byte[] protectedData, byte[] associatedData);
    }
}
