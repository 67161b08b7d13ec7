using System;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>
    /// RFC 4253 §7.2 key derivation: HASH(K || H || letter || session_id), extended with
    /// HASH(K || H || K1 || ...) until enough bytes exist. Letters: 'A'/'B' IVs, 'C'/'D' encryption
    /// keys, 'E'/'F' MAC keys (client-to-server first).
    /// </summary>
    public static class SshKeyDerivation
    {
        /// <param name="sharedSecret">K as the unsigned big-endian value <see cref="IKeyAgreement.DeriveSharedSecret"/> returned (it is hashed as an mpint).</param>
        public static byte[] Derive(IKeyExchangeMethod method, byte[] sharedSecret, byte[] exchangeHash, char letter, byte[] sessionId, int length)
        {
            if (method == null) throw new ArgumentNullException(nameof(method));
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
            var encodedK = new SshWireWriter().WriteMpintUnsigned(sharedSecret).ToArray();
            var first = new SshWireWriter().WriteBytes(encodedK).WriteBytes(exchangeHash).WriteByte((byte)letter).WriteBytes(sessionId).ToArray();
            var output = new SshWireWriter();
            var block = method.Hash(first);
            output.WriteBytes(block);
            while (output.Length < length)
            {
                var extend = new SshWireWriter().WriteBytes(encodedK).WriteBytes(exchangeHash).WriteBytes(output.ToArray()).ToArray();
                output.WriteBytes(method.Hash(extend));
            }
            var all = output.ToArray();
            var result = new byte[length];
            Buffer.BlockCopy(all, 0, result, 0, length);
            CryptoBytes.Wipe(all);
            return result;
        }
    }
}
