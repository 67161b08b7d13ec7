using System;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>Which card file or CLI text a parser was reading.</summary>
    public enum CardFileKind
    {
        ConfigIni,
        EventLog,
        DataLog,
        AboutOutput,
        LoginBanner,
    }

    /// <summary>
    /// The only exception the card-file parsers throw (besides <see cref="ArgumentNullException"/> for a
    /// null input): the text is not recognisable as the file it should be. Variations within a file
    /// (missing keys, odd line endings, extra columns) never throw; they just leave facts unknown.
    /// </summary>
    public sealed class CardFileFormatException : FormatException
    {
        public CardFileFormatException(CardFileKind kind, string message, int? lineNumber = null)
            : base(lineNumber.HasValue ? $"{Describe(kind)}, line {lineNumber}: {message}" : $"{Describe(kind)}: {message}")
        {
            Kind = kind;
            LineNumber = lineNumber;
        }

        public CardFileKind Kind { get; }

        /// <summary>1-based line the problem was found on, when it is about one line.</summary>
        public int? LineNumber { get; }

        public static string Describe(CardFileKind kind) => kind switch
        {
            CardFileKind.ConfigIni => "config.ini",
            CardFileKind.EventLog => "event.txt",
            CardFileKind.DataLog => "data.txt",
            CardFileKind.AboutOutput => "CLI 'about' output",
            _ => "SSH login banner",
        };
    }
}
