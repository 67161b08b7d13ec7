using System;
using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms
{
    /// <summary>Small byte helpers the algorithms share: randomness, constant-time compare, wiping.</summary>
    internal static class CryptoBytes
    {
        private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();

        public static byte[] Random(int count)
        {
            var bytes = new byte[count];
            lock (Rng) Rng.GetBytes(bytes);
            return bytes;
        }

        /// <summary>Compares without an early exit so a MAC check leaks no timing about where it differs.</summary>
        public static bool FixedTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            int diff = 0;
            for (int i = 0; i < count; i++) diff |= a[aOffset + i] ^ b[bOffset + i];
            return diff == 0;
        }

        public static bool IsAllZero(byte[] data)
        {
            int acc = 0;
            foreach (var b in data) acc |= b;
            return acc == 0;
        }

        public static void Wipe(byte[]? data)
        {
            if (data != null) Array.Clear(data, 0, data.Length);
        }

        /// <summary>Copies the first <paramref name="length"/> bytes, rejecting material that is too short.</summary>
        public static byte[] Take(byte[]? material, int length, string what)
        {
            if (material == null || material.Length < length)
                throw new ArgumentException($"The {what} must be at least {length} bytes, got {material?.Length ?? 0}.");
            var result = new byte[length];
            Buffer.BlockCopy(material, 0, result, 0, length);
            return result;
        }

        /// <summary>Unsigned big-endian bytes without leading zeros (at least one byte).</summary>
        public static byte[] TrimLeadingZeros(byte[] value)
        {
            int start = 0;
            while (start < value.Length - 1 && value[start] == 0) start++;
            if (start == 0) return value;
            var result = new byte[value.Length - start];
            Buffer.BlockCopy(value, start, result, 0, result.Length);
            return result;
        }

        /// <summary>Left-pads (or strips leading zeros) an unsigned big-endian value to exactly <paramref name="length"/> bytes.</summary>
        public static byte[] FixedLength(byte[] value, int length)
        {
            int start = 0;
            while (start < value.Length && value[start] == 0 && value.Length - start > length) start++;
            int significant = value.Length - start;
            if (significant > length) throw new CryptographicException($"Value of {significant} bytes does not fit in {length} bytes.");
            var result = new byte[length];
            Buffer.BlockCopy(value, start, result, length - significant, significant);
            return result;
        }
    }
}
