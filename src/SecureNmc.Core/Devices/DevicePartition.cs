using System;
using System.Globalization;
using System.Security.Cryptography;

namespace SecureNmc.Core.Devices
{
    /// <summary>
    /// Share k of N of a fleet ("3/8"), for spreading one big site over N workers. A card's share
    /// depends only on its inventory id (SHA-256 of the id's bytes, mod N), never on the order or
    /// number of the other cards, so every worker computes the same split from its own copy of the
    /// inventory and no card falls in two shares or in none.
    /// </summary>
    public sealed class DevicePartition
    {
        /// <summary>More shares than this would be a typing mistake rather than a fleet plan.</summary>
        public const int MaxCount = 100000;

        public DevicePartition(int index, int count)
        {
            if (count < 1 || count > MaxCount) throw new ArgumentOutOfRangeException(nameof(count), count, $"The number of shares must be from 1 to {MaxCount}.");
            if (index < 1 || index > count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The share must be from 1 to {count}.");
            Index = index;
            Count = count;
        }

        /// <summary>1-based share number.</summary>
        public int Index { get; }

        public int Count { get; }

        public bool Contains(NmcDevice device) => ShareOf(device.Id, Count) == Index;

        /// <summary>The 1-based share of an id among <paramref name="count"/> shares.</summary>
        public static int ShareOf(Guid id, int count)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
            byte[] hash;
            using (var sha = SHA256.Create()) hash = sha.ComputeHash(id.ToByteArray());
            // The first 8 bytes as an unsigned big-endian number: uniform enough for any N up to MaxCount.
            ulong value = 0;
            for (int i = 0; i < 8; i++) value = (value << 8) | hash[i];
            return (int)(value % (ulong)count) + 1;
        }

        /// <summary>Parses "k/N" (spaces allowed around the numbers); <paramref name="error"/> says what is wrong.</summary>
        public static bool TryParse(string? text, out DevicePartition? partition, out string? error)
        {
            partition = null;
            error = null;
            var usage = "Write the share as k/N, for example 3/8 for the third of eight shares (1 <= k <= N).";
            var parts = (text ?? "").Split('/');
            if (parts.Length != 2
                || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                error = $"'{text}' is not a share of the fleet. {usage}";
                return false;
            }
            if (count < 1 || count > MaxCount)
            {
                error = $"'{text}': the number of shares must be from 1 to {MaxCount}. {usage}";
                return false;
            }
            if (index < 1 || index > count)
            {
                error = $"'{text}': share {index} does not exist among {count} shares; shares are numbered 1 to {count}. {usage}";
                return false;
            }
            partition = new DevicePartition(index, count);
            return true;
        }

        public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
    }
}
