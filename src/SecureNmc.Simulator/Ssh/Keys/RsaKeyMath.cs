using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SecureNmc.Simulator.Ssh.Keys
{
    /// <summary>Builds complete, framework-importable RSA parameters from what OpenSSH stores.</summary>
    internal static class RsaKeyMath
    {
        /// <summary>
        /// OpenSSH keeps n, e, d, iqmp, p, q; the framework also wants d mod (p-1), d mod (q-1), and
        /// fixed field lengths (d as long as n, the CRT values half as long), so they are derived and padded.
        /// </summary>
        public static RSAParameters FromOpenSsh(byte[] n, byte[] e, byte[] d, byte[] iqmp, byte[] p, byte[] q)
        {
            var bn = new BigInteger(1, n);
            var bd = new BigInteger(1, d);
            var bp = new BigInteger(1, p);
            var bq = new BigInteger(1, q);
            if (!bp.Multiply(bq).Equals(bn))
                throw new SshKeyFormatException("The RSA private key is inconsistent: p * q is not the modulus.");
            var dp = bd.Mod(bp.Subtract(BigInteger.One));
            var dq = bd.Mod(bq.Subtract(BigInteger.One));
            var qInv = bq.ModInverse(bp);
            if (!qInv.Equals(new BigInteger(1, iqmp)))
                throw new SshKeyFormatException("The RSA private key is inconsistent: iqmp is not q^-1 mod p.");
            return Build(bn, new BigInteger(1, e), bd, bp, bq, dp, dq, qInv);
        }

        public static RSAParameters Generate(int bits)
        {
            using (var rsa = RSA.Create())
            {
                try
                {
                    rsa.KeySize = bits;
                    var exported = rsa.ExportParameters(includePrivateParameters: true);
                    if (exported.Modulus.Length * 8 == bits) return exported;
                }
                catch (CryptographicException)
                {
                    // Some platform providers cannot resize after creation; fall through to BouncyCastle.
                }
            }
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), bits, 100));
            var key = (RsaPrivateCrtKeyParameters)generator.GenerateKeyPair().Private;
            return Build(key.Modulus, key.PublicExponent, key.Exponent, key.P, key.Q, key.DP, key.DQ, key.QInv);
        }

        private static RSAParameters Build(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q, BigInteger dp, BigInteger dq, BigInteger qInv)
        {
            int modulusLength = (n.BitLength + 7) / 8;
            int half = (modulusLength + 1) / 2;
            return new RSAParameters
            {
                Modulus = Fixed(n, modulusLength),
                Exponent = e.ToByteArrayUnsigned(),
                D = Fixed(d, modulusLength),
                P = Fixed(p, half),
                Q = Fixed(q, half),
                DP = Fixed(dp, half),
                DQ = Fixed(dq, half),
                InverseQ = Fixed(qInv, half),
            };
        }

        private static byte[] Fixed(BigInteger value, int length) =>
            Algorithms.CryptoBytes.FixedLength(value.ToByteArrayUnsigned(), length);
    }
}
