using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SecureNmc.Core.Csv
{
    /// <summary>One physical line of a device file, as read by <see cref="CsvRecordSplitter"/>.</summary>
    internal sealed class CsvPhysicalLine
    {
        public CsvPhysicalLine(int number, string? text, CsvLineDefect defect)
        {
            Number = number;
            Text = text;
            Defect = defect;
        }

        /// <summary>1-based line number, as an editor shows it.</summary>
        public int Number { get; }

        /// <summary>The line without its line break; null when the line was too long to keep.</summary>
        public string? Text { get; }

        public CsvLineDefect Defect { get; }

        /// <summary>Quotes on the line; an odd count opens (or closes) a quoted field across the line break.</summary>
        public bool HasOddQuoteCount
        {
            get
            {
                if (Text == null) return false;
                int n = 0;
                foreach (var c in Text) if (c == '"') n++;
                return (n & 1) == 1;
            }
        }
    }

    internal enum CsvLineDefect
    {
        None,
        /// <summary>Longer than the cap: drained without being kept.</summary>
        TooLong,
        /// <summary>Holds a NUL or a byte that is not UTF-8 (decoded as U+FFFD): the file is not text.</summary>
        NotText,
        /// <summary>Holds a control character (other than tab) that no device field contains.</summary>
        ControlCharacter,
    }

    /// <summary>
    /// Splits a device file into physical lines with bounded memory: a line longer than the cap is
    /// drained (read and thrown away) rather than kept, and a line that shows the file is binary (a NUL,
    /// an undecodable byte) is returned as soon as that character is seen, without reading the rest.
    /// Lines can be pushed back (<see cref="PushBack"/>) so a record that turned out not to span lines
    /// (an unterminated quote) can be re-read line by line.
    /// </summary>
    internal sealed class CsvRecordSplitter
    {
        private readonly TextReader _reader;
        private readonly int _maxLineChars;
        private readonly char[] _buffer = new char[8192];
        private int _pos, _len;
        private int _lineNumber;
        private bool _eof;
        private readonly Stack<CsvPhysicalLine> _pushedBack = new Stack<CsvPhysicalLine>();

        public CsvRecordSplitter(TextReader reader, int maxLineChars)
        {
            _reader = reader;
            _maxLineChars = maxLineChars;
        }

        /// <summary>Returns lines to be read again, in file order, before any new line.</summary>
        public void PushBack(IReadOnlyList<CsvPhysicalLine> lines)
        {
            for (int i = lines.Count - 1; i >= 0; i--) _pushedBack.Push(lines[i]);
        }

        /// <summary>The next line, or null at the end of the file.</summary>
        public CsvPhysicalLine? ReadLine()
        {
            if (_pushedBack.Count > 0) return _pushedBack.Pop();
            if (!Fill()) return null;

            _lineNumber++;
            var text = new StringBuilder();
            bool tooLong = false;
            var defect = CsvLineDefect.None;
            while (Fill())
            {
                char c = _buffer[_pos++];
                if (c == '\n') break;
                if (c == '\r')
                {
                    if (Fill() && _buffer[_pos] == '\n') _pos++;
                    break;
                }
                if (c == '\0' || c == '\uFFFD')
                    return new CsvPhysicalLine(_lineNumber, null, CsvLineDefect.NotText); // stop reading: the caller refuses the file
                if (c < ' ' && c != '\t' || c == '\x7F') defect = CsvLineDefect.ControlCharacter;
                if (tooLong) continue;
                if (text.Length >= _maxLineChars) { tooLong = true; text.Clear(); continue; }
                text.Append(c);
            }
            if (tooLong) return new CsvPhysicalLine(_lineNumber, null, CsvLineDefect.TooLong);
            return new CsvPhysicalLine(_lineNumber, text.ToString(), defect);
        }

        private bool Fill()
        {
            if (_pos < _len) return true;
            if (_eof) return false;
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            if (_len <= 0) { _eof = true; _len = 0; return false; }
            return true;
        }
    }
}
