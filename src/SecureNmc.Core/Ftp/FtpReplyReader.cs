using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Ftp
{
    /// <summary>Thrown when a server reply is not a well-formed RFC 959 reply.</summary>
    internal sealed class FtpReplyFormatException : System.Exception
    {
        public FtpReplyFormatException(string message) : base(message) { }
    }

    /// <summary>Thrown when the server closed the control connection before or inside a reply.</summary>
    internal sealed class FtpConnectionClosedException : System.Exception
    {
        public FtpConnectionClosedException(string message) : base(message) { }
    }

    /// <summary>
    /// Parses RFC 959 §4.2 replies strictly: "ddd text" for one line; "ddd-text" ... "ddd text" for several,
    /// with the same code on the first and last line, within <see cref="FtpLimits"/>.
    /// </summary>
    internal sealed class FtpReplyReader
    {
        private readonly FtpLineReader lines;
        private readonly int maxLines;

        public FtpReplyReader(FtpLineReader lines, int maxLines = FtpLimits.MaxReplyLines)
        {
            this.lines = lines;
            this.maxLines = maxLines;
        }

        public async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
        {
            string first = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new FtpConnectionClosedException("the card closed the control connection");
            if (!TryParseCodeLine(first, out int code, out char separator, out string text))
                throw new FtpReplyFormatException("the server sent a line that is not an FTP reply: \"" + Shorten(first) + "\"");

            var body = new List<string> { text };
            if (separator != '-') return new FtpReply(code, body);

            string closing = code.ToString();
            while (true)
            {
                if (body.Count >= maxLines)
                    throw new FtpReplyFormatException($"a multi-line {code} reply exceeded {maxLines} lines");
                string line = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new FtpConnectionClosedException($"the card closed the control connection inside a multi-line {code} reply");
                if (line.StartsWith(closing, System.StringComparison.Ordinal) && (line.Length == 3 || line[3] == ' '))
                {
                    body.Add(line.Length > 4 ? line.Substring(4) : "");
                    return new FtpReply(code, body);
                }
                // RFC 959 lets middle lines start with anything, so a different code here is text, not an end.
                body.Add(line.TrimStart());
            }
        }

        /// <summary>True for "ddd", "ddd text" and "ddd-text" with a first digit 1-5 (RFC 959 reply classes).</summary>
        internal static bool TryParseCodeLine(string line, out int code, out char separator, out string text)
        {
            code = 0; separator = ' '; text = "";
            if (line.Length < 3) return false;
            if (line[0] < '1' || line[0] > '5' || !IsDigit(line[1]) || !IsDigit(line[2])) return false;
            if (line.Length > 3)
            {
                separator = line[3];
                if (separator != ' ' && separator != '-') return false;
                text = line.Substring(4);
            }
            code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            return true;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        internal static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "...";
    }
}
