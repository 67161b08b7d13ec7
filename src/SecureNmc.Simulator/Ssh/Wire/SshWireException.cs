using System;

namespace SecureNmc.Simulator.Ssh.Wire
{
    /// <summary>Malformed SSH data from a peer: a length past the end, a bad boolean, an oversized field.</summary>
    public sealed class SshWireException : Exception
    {
        public SshWireException(string message) : base(message) { }
    }
}
