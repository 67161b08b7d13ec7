using System;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Algorithms.HostKeys
{
    /// <summary>
    /// ecdsa-sha2-nistp256/384/521 (RFC 5656 §3): blob string(type) + string(curve id) + string(Q);
    /// signature string(mpint r + mpint s) over the curve's hash.
    /// </summary>
    internal sealed class EcdsaHostKeyAlgorithm : HostKeyAlgorithmBase
    {
        private readonly EcdsaCurve _curve;

        public EcdsaHostKeyAlgorithm(EcdsaCurve curve) : base(curve.KeyType, curve.KeyType, isLegacy: false)
        {
            _curve = curve;
        }

        protected override bool VerifyRaw(byte[] publicKeyBlob, byte[] data, byte[] signature)
        {
            var q = ParsePublicKey(publicKeyBlob, _curve);
            if (q == null) return false;
            var sig = new SshWireReader(signature);
            var r = sig.ReadMpintUnsigned();
            var s = sig.ReadMpintUnsigned();
            if (!sig.AtEnd || r.Length == 0 || s.Length == 0 || r.Length > _curve.FieldBytes || s.Length > _curve.FieldBytes) return false;
            var p1363 = new byte[2 * _curve.FieldBytes];
            Buffer.BlockCopy(r, 0, p1363, _curve.FieldBytes - r.Length, r.Length);
            Buffer.BlockCopy(s, 0, p1363, 2 * _curve.FieldBytes - s.Length, s.Length);
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = _curve.Curve, Q = q.Value });
            return ecdsa.VerifyData(data, p1363, _curve.Hash);
        }

        /// <summary>Q from a well-formed blob for this curve (uncompressed point, right length), else null.</summary>
        internal static ECPoint? ParsePublicKey(byte[] blob, EcdsaCurve curve)
        {
            var reader = new SshWireReader(blob);
            if (reader.ReadString() != curve.KeyType) return null;
            if (reader.ReadString() != curve.Identifier) return null;
            var point = reader.ReadBinary();
            if (!reader.AtEnd) return null;
            return DecodePoint(point, curve);
        }

        internal static ECPoint? DecodePoint(byte[] point, EcdsaCurve curve)
        {
            if (point.Length != 1 + 2 * curve.FieldBytes || point[0] != 0x04) return null;
            var x = new byte[curve.FieldBytes];
            var y = new byte[curve.FieldBytes];
            Buffer.BlockCopy(point, 1, x, 0, x.Length);
            Buffer.BlockCopy(point, 1 + x.Length, y, 0, y.Length);
            return new ECPoint { X = x, Y = y };
        }

        internal static byte[] EncodePoint(ECPoint q)
        {
            var point = new byte[1 + q.X.Length + q.Y.Length];
            point[0] = 0x04;
            Buffer.BlockCopy(q.X, 0, point, 1, q.X.Length);
            Buffer.BlockCopy(q.Y, 0, point, 1 + q.X.Length, q.Y.Length);
            return point;
        }

        internal static byte[] EncodePublicKey(EcdsaCurve curve, ECPoint q) =>
            new SshWireWriter().WriteString(curve.KeyType).WriteString(curve.Identifier).WriteBinary(EncodePoint(q)).ToArray();
    }
}
