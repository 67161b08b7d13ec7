using System;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>The initial state before the first NEWKEYS: no encryption, no MAC, 8-byte padding.</summary>
    internal sealed class NonePacketProtection : IPacketProtection
    {
        public int BlockSize => 8;
        public bool LengthInClear => false;
        public int FirstBlockSize => 8;
        public int MacLength => 0;

        public byte[] Seal(uint sequence, byte[] packet)
        {
            if (packet == null) throw new ArgumentNullException(nameof(packet));
            return (byte[])packet.Clone();
        }

        public int ReadLength(uint sequence, byte[] firstBlock)
        {
            if (firstBlock == null || firstBlock.Length < 4) throw new ArgumentException("ReadLength needs at least 4 bytes.", nameof(firstBlock));
            uint value = (uint)(firstBlock[0] << 24 | firstBlock[1] << 16 | firstBlock[2] << 8 | firstBlock[3]);
            return value > int.MaxValue ? int.MaxValue : (int)value;
        }

        public byte[] Open(uint sequence, byte[] received)
        {
            if (received == null) throw new ArgumentNullException(nameof(received));
            return (byte[])received.Clone();
        }
    }
}
