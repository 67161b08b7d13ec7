using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>A host key that can write its private fields in the openssh-key-v1 layout (PROTOCOL.key).</summary>
    internal interface IOpenSshPrivateKey
    {
        /// <summary>Writes the key-type-specific fields that follow string(keytype) in the private section.</summary>
        void WritePrivateFields(SshWireWriter writer);
    }
}
