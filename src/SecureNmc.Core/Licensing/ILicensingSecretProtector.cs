namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// Encrypts a secret for storage at rest in the data folder (the "stay signed in" token) and decrypts
    /// it again. Implemented over the inventory's credential protection (DPAPI on Windows, a key file plus
    /// AEAD elsewhere); licensing never writes a secret without it.
    /// </summary>
    public interface ILicensingSecretProtector
    {
        byte[] Protect(byte[] plaintext);

        /// <summary>Throws when the data was not protected by this user/key or was altered.</summary>
        byte[] Unprotect(byte[] protectedData);
    }
}
