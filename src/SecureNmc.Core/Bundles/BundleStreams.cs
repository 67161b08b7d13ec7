using System;
using System.IO;
using System.Security.Cryptography;
using SecureNmc.Core.IO;

namespace SecureNmc.Core.Bundles
{
    /// <summary>Exposes at most a declared number of bytes of the stream under it.</summary>
    internal sealed class BoundedReadStream : ForwardReadStream
    {
        private readonly Stream _inner;
        public BoundedReadStream(Stream inner, long length)
        {
            _inner = inner;
            Remaining = length;
        }

        public long Remaining { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Remaining == 0) return 0;
            int n = _inner.Read(buffer, offset, (int)Math.Min(count, Remaining));
            if (n == 0) throw new BundleException(BundleError.Truncated, "The bundle ends inside a part: the file is truncated. Copy or export it again.");
            Remaining -= n;
            return n;
        }

    }

    /// <summary>Feeds everything read through it into a hash (the unencrypted bundle's checksum).</summary>
    internal sealed class HashingReadStream : ForwardReadStream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash _hash;
        public HashingReadStream(Stream inner, IncrementalHash hash)
        {
            _inner = inner;
            _hash = hash;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (n > 0) _hash.AppendData(buffer, offset, n);
            return n;
        }

    }
}
