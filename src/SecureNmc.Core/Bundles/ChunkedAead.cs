using System;
using System.IO;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using SecureNmc.Core.IO;

namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// AES-256-GCM over fixed-size chunks. Each chunk's associated data is the bundle header plus
    /// its index, length and a final flag, so chunks cannot be reordered, dropped, cut short or
    /// followed by extra data without detection, and a large bundle never sits whole in memory.
    /// The nonce is the chunk index: unique because every bundle derives a fresh key (random salt).
    /// </summary>
    internal static class ChunkedAead
    {
        public const int TagLength = 16;

        public static byte[] Seal(byte[] key, byte[] header, ulong index, byte[] plain, int count, bool final)
        {
            var gcm = Create(true, key, header, index, (uint)count, final);
            var output = new byte[gcm.GetOutputSize(count)];
            int n = gcm.ProcessBytes(plain, 0, count, output, 0);
            gcm.DoFinal(output, n);
            return output;
        }

        /// <summary>Returns the plaintext, or null when authentication fails.</summary>
        public static byte[]? Open(byte[] key, byte[] header, ulong index, byte[] sealedChunk, uint plainLength, bool final)
        {
            var gcm = Create(false, key, header, index, plainLength, final);
            var output = new byte[gcm.GetOutputSize(sealedChunk.Length)];
            try
            {
                int n = gcm.ProcessBytes(sealedChunk, 0, sealedChunk.Length, output, 0);
                gcm.DoFinal(output, n);
                return output;
            }
            catch (InvalidCipherTextException)
            {
                return null;
            }
        }

        private static GcmBlockCipher Create(bool encrypt, byte[] key, byte[] header, ulong index, uint length, bool final)
        {
            var aad = new byte[header.Length + 13];
            Buffer.BlockCopy(header, 0, aad, 0, header.Length);
            Buffer.BlockCopy(BinaryPrimitives.UInt64Bytes(index), 0, aad, header.Length, 8);
            Buffer.BlockCopy(BinaryPrimitives.UInt32Bytes(length), 0, aad, header.Length + 8, 4);
            aad[aad.Length - 1] = final ? (byte)1 : (byte)0;
            var nonce = new byte[12];
            Buffer.BlockCopy(BinaryPrimitives.UInt64Bytes(index), 0, nonce, 4, 8);
            var gcm = new GcmBlockCipher(new AesEngine());
            gcm.Init(encrypt, new AeadParameters(new KeyParameter(key), TagLength * 8, nonce, aad));
            return gcm;
        }
    }

    /// <summary>Write side: buffers plaintext, emits [uint32 length][final][ciphertext+tag] chunks.</summary>
    internal sealed class ChunkedAeadWriteStream : Stream
    {
        private readonly Stream _output;
        private readonly byte[] _key;
        private readonly byte[] _header;
        private readonly byte[] _buffer;
        private int _filled;
        private ulong _index;
        private bool _completed;

        public ChunkedAeadWriteStream(Stream output, byte[] key, byte[] header, int chunkSize)
        {
            _output = output;
            _key = key;
            _header = header;
            _buffer = new byte[chunkSize];
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_completed) throw new InvalidOperationException("The bundle payload is already complete.");
            while (count > 0)
            {
                int take = Math.Min(count, _buffer.Length - _filled);
                Buffer.BlockCopy(buffer, offset, _buffer, _filled, take);
                _filled += take;
                offset += take;
                count -= take;
                // A full buffer is flushed only when more data arrives, so the last chunk is always marked final.
                if (_filled == _buffer.Length && count > 0) EmitChunk(false);
            }
        }

        /// <summary>Seals what is buffered as the final chunk. Must be called exactly once.</summary>
        public void Complete()
        {
            if (_completed) return;
            EmitChunk(true);
            _completed = true;
            _output.Flush();
        }

        private void EmitChunk(bool final)
        {
            var sealedChunk = ChunkedAead.Seal(_key, _header, _index++, _buffer, _filled, final);
            BinaryPrimitives.WriteUInt32(_output, (uint)_filled);
            _output.WriteByte(final ? (byte)1 : (byte)0);
            _output.Write(sealedChunk, 0, sealedChunk.Length);
            Array.Clear(_buffer, 0, _filled);
            _filled = 0;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Read side: releases a chunk's plaintext only after its tag verifies.</summary>
    internal sealed class ChunkedAeadReadStream : ForwardReadStream
    {
        private readonly Stream _input;
        private readonly byte[] _key;
        private readonly byte[] _header;
        private readonly int _chunkSize;
        private byte[] _plain = Array.Empty<byte>();
        private int _position;
        private ulong _index;
        private bool _sawFinal;

        public ChunkedAeadReadStream(Stream input, byte[] key, byte[] header, int chunkSize)
        {
            _input = input;
            _key = key;
            _header = header;
            _chunkSize = chunkSize;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_position == _plain.Length)
            {
                if (_sawFinal) return 0;
                ReadChunk();
            }
            int take = Math.Min(count, _plain.Length - _position);
            Buffer.BlockCopy(_plain, _position, buffer, offset, take);
            _position += take;
            return take;
        }

        /// <summary>After the payload is parsed: the final chunk must have been seen and nothing may follow it.</summary>
        public void EnsureAtEnd()
        {
            if (_position != _plain.Length)
                throw new BundleException(BundleError.Tampered, "The bundle holds data after its last declared part: it was altered after export.");
            if (!_sawFinal)
            {
                // The payload parser stopped exactly at a chunk boundary; the final (possibly empty) chunk must follow.
                ReadChunk();
                if (_plain.Length != 0 || !_sawFinal)
                    throw new BundleException(BundleError.Tampered, "The bundle holds data after its last declared part: it was altered after export.");
            }
            if (_input.ReadByte() != -1)
                throw new BundleException(BundleError.Tampered, "The bundle has bytes after its final authenticated chunk: it was altered after export.");
        }

        private void ReadChunk()
        {
            var head = BundleHeader.ReadExactly(_input, 5, null, "an encrypted chunk");
            uint length = BinaryPrimitives.ReadUInt32(head, 0);
            bool final = head[4] == 1;
            if (head[4] > 1 || length > (uint)_chunkSize || (!final && length != (uint)_chunkSize))
                throw new BundleException(BundleError.Tampered, $"Encrypted chunk {_index} has an impossible length or flag: the bundle was altered after export.");
            var sealedChunk = BundleHeader.ReadExactly(_input, (int)length + ChunkedAead.TagLength, null, "an encrypted chunk");
            var plain = ChunkedAead.Open(_key, _header, _index, sealedChunk, length, final)
                ?? throw new BundleException(BundleError.Tampered, $"Encrypted chunk {_index} failed authentication: the bundle was altered or corrupted after export. Export it again.");
            _index++;
            _plain = plain;
            _position = 0;
            _sawFinal = final;
        }

    }
}
