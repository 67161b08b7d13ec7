using System;
using System.Security.Cryptography;

namespace SecureNmc.Core.Security
{
    /// <summary>
    /// Windows: DPAPI with the CurrentUser scope, the associated data as DPAPI's optional entropy.
    /// Only the same Windows user (on the same machine, or with a roaming profile) can decrypt.
    /// </summary>
    public sealed class DpapiCredentialProtector : ICredentialProtector
    {
        public string Scheme => "DPAPI (CurrentUser)";

        public byte[] Protect(byte[] plaintext, byte[] associatedData)
        {
            if (plaintext == null) throw new ArgumentNullException(nameof(plaintext));
            var sealedBytes = ProtectedData.Protect(plaintext, EntropyOf(associatedData), DataProtectionScope.CurrentUser);
            var output = new byte[sealedBytes.Length + 1];
            output[0] = ProtectedBlobFormat.DpapiCurrentUserV1;
            Buffer.BlockCopy(sealedBytes, 0, output, 1, sealedBytes.Length);
            return output;
        }

        public byte[] Unprotect(byte[] protectedData, byte[] associatedData)
        {
            if (protectedData == null) throw new ArgumentNullException(nameof(protectedData));
            if (protectedData.Length < 2 || protectedData[0] != ProtectedBlobFormat.DpapiCurrentUserV1)
                throw new CredentialProtectionException(
                    $"The stored secret was protected with {(protectedData.Length == 0 ? "nothing" : ProtectedBlobFormat.Describe(protectedData[0]))} and cannot be opened with DPAPI; set the credential again on this machine.");
            var sealedBytes = new byte[protectedData.Length - 1];
            Buffer.BlockCopy(protectedData, 1, sealedBytes, 0, sealedBytes.Length);
            try
            {
                return ProtectedData.Unprotect(sealedBytes, EntropyOf(associatedData), DataProtectionScope.CurrentUser);
            }
            catch (CryptographicException e)
            {
                throw new CredentialProtectionException(
                    "A stored secret could not be decrypted with DPAPI: it was protected by another Windows user or machine, belongs to another record, or was altered. Set the credential again.", e);
            }
        }

        private static byte[]? EntropyOf(byte[]? associatedData) => associatedData == null || associatedData.Length == 0 ? null : associatedData;
    }
}
