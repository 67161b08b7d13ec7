using System;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>A key file or public key line that cannot be used: wrong format, encrypted, unsupported type, inconsistent.</summary>
    public sealed class SshKeyFormatException : Exception
    {
        public SshKeyFormatException(string message) : base(message) { }
        public SshKeyFormatException(string message, Exception inner) : base(message, inner) { }
    }
}
