using System;
using System.Collections.Generic;

namespace SecureNmc.Core.Ftp
{
    /// <summary>One complete FTP reply (RFC 959 §4.2): a three-digit code and one or more text lines.</summary>
    public sealed class FtpReply
    {
        public FtpReply(int code, IReadOnlyList<string> lines)
        {
            Code = code;
            Lines = lines ?? throw new ArgumentNullException(nameof(lines));
        }

        public int Code { get; }

        /// <summary>The reply's lines with the code prefix removed from the first and last line.</summary>
        public IReadOnlyList<string> Lines { get; }

        /// <summary>All lines joined with a space: what error messages quote.</summary>
        public string Text => string.Join(" ", Lines).Trim();

        public bool IsPreliminary => Code >= 100 && Code < 200;
        public bool IsPositiveCompletion => Code >= 200 && Code < 300;
        public bool IsIntermediate => Code >= 300 && Code < 400;
        public bool IsTransientNegative => Code >= 400 && Code < 500;
        public bool IsPermanentNegative => Code >= 500 && Code < 600;

        public override string ToString() => Text.Length == 0 ? Code.ToString() : Code + " " + Text;
    }
}
