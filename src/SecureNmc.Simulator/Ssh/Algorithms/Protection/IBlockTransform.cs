using System;

namespace SecureNmc.Simulator.Ssh.Algorithms.Protection
{
    /// <summary>
    /// A stateful cipher stream for one direction: successive calls continue where the previous
    /// one stopped (CTR counter / CBC chaining), as SSH treats a direction's packets as one stream.
    /// </summary>
    internal interface IBlockTransform : IDisposable
    {
        int BlockSize { get; }

        /// <summary><paramref name="count"/> must be a multiple of <see cref="BlockSize"/>; input and output may be the same array.</summary>
        void Transform(byte[] input, int inputOffset, int count, byte[] output, int outputOffset);
    }
}
