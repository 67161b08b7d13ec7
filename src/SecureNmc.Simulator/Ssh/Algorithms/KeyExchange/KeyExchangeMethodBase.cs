using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.KeyExchange
{
    /// <summary>Name, flow, hash and legacy flag shared by every key-exchange method.</summary>
    internal abstract class KeyExchangeMethodBase : IKeyExchangeMethod
    {
        protected KeyExchangeMethodBase(string name, KeyExchangeFlow flow, HashAlgorithmName hash, bool isLegacy)
        {
            Name = name;
            Flow = flow;
            HashName = hash;
            IsLegacy = isLegacy;
        }

        public string Name { get; }
        public KeyExchangeFlow Flow { get; }
        public bool IsLegacy { get; }
        public HashAlgorithmName HashName { get; }

        public byte[] Hash(byte[] data) => SshHashes.Compute(HashName, data);

        public virtual IKeyAgreement CreateAgreement() =>
            throw new InvalidOperationException($"{Name} uses the group-exchange flow: call CreateAgreement(prime, generator) with the server's group.");

        public virtual IKeyAgreement CreateAgreement(byte[] prime, byte[] generator) =>
            throw new InvalidOperationException($"{Name} does not use group exchange; call CreateAgreement().");

        public virtual (byte[] Prime, byte[] Generator) ChooseGroup(int minBits, int preferredBits, int maxBits) =>
            throw new InvalidOperationException($"{Name} does not use group exchange.");

        public override string ToString() => Name;
    }
}
