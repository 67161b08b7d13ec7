using System;

namespace SecureNmc.Core.Security
{
    /// <summary>A protected secret could not be opened or protected. Never carries the secret itself.</summary>
    public sealed class CredentialProtectionException : Exception
    {
        public CredentialProtectionException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
