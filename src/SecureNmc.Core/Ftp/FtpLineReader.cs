using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Ftp
{
    /// <summary>Thrown by the line reader when the peer breaks the line rules (too long, ends mid-line).</summary>
    internal sealed class FtpLineException : Exception
    {
        public FtpLineException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads CRLF (or bare LF) terminated lines from a control connection with a hard length bound,
    /// buffering at most one read chunk plus one line.
    /// </summary>
    internal sealed class FtpLineReader
    {
        private static readonly Encoding Utf8Lenient = new UTF8Encoding(false, false);
        private readonly Stream stream;
        private readonly int maxLineLength;
        private readonly byte[] buffer = new byte[4096];
        private int bufferStart;
        private int bufferEnd;

        public FtpLineReader(Stream stream, int maxLineLength)
        {
            this.stream = stream;
            this.maxLineLength = maxLineLength;
        }

        /// <summary>The next line without its terminator, or null when the peer closed cleanly between lines.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (bufferStart == bufferEnd)
                {
                    bufferStart = 0;
                    bufferEnd = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                    if (bufferEnd == 0)
                    {
                        if (line.Length == 0) return null;
                        throw new FtpConnectionClosedException("the card closed the control connection in the middle of a line");
                    }
                }

                int newline = Array.IndexOf(buffer, (byte)'\n', bufferStart, bufferEnd - bufferStart);
                int end = newline < 0 ? bufferEnd : newline;
                if (line.Length + (end - bufferStart) > maxLineLength + 1)  // +1 leaves room for the CR
                    throw new FtpLineException($"a line longer than {maxLineLength} bytes was received");
                line.Write(buffer, bufferStart, end - bufferStart);
                if (newline < 0)
                {
                    bufferStart = bufferEnd;
                    continue;
                }

                bufferStart = newline + 1;
                var bytes = line.GetBuffer();
                int length = (int)line.Length;
                if (length > 0 && bytes[length - 1] == (byte)'\r') length--;
                if (length > maxLineLength)
                    throw new FtpLineException($"a line longer than {maxLineLength} bytes was received");
                return Sanitize(Utf8Lenient.GetString(bytes, 0, length));
            }
        }

        /// <summary>Control characters in peer text could forge log lines or terminals: show them as '?'.</summary>
        internal static string Sanitize(string text)
        {
            StringBuilder? cleaned = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool bad = (c < 0x20 && c != '\t') || c == 0x7f;
                if (bad && cleaned == null) cleaned = new StringBuilder(text, 0, i, text.Length);
                if (cleaned != null) cleaned.Append(bad ? '?' : c);
            }
            return cleaned?.ToString() ?? text;
        }
    }
}
