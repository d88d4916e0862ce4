using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RemoteIt.Tests
{
    /// <summary>
    /// A small JSON reader for the test data and the API's answers (Mono's base install has
    /// no JSON library): objects become <c>Dictionary&lt;string, object&gt;</c>, arrays
    /// <c>List&lt;object&gt;</c>, numbers <see cref="double"/>, and null stays null.
    /// </summary>
    internal sealed class Json
    {
        private readonly string text;
        private int position;

        private Json(string text)
        {
            this.text = text;
        }

        /// <summary>Parses one JSON value that makes up the whole of <paramref name="text"/>.</summary>
        internal static object Parse(string text)
        {
            Json reader = new Json(text);
            object value = reader.ReadValue();
            reader.SkipWhitespace();
            if (reader.position != text.Length)
            {
                throw reader.Error("text after the value");
            }
            return value;
        }

        /// <summary>Follows a path of object keys from <paramref name="value"/>.</summary>
        internal static object At(object value, params string[] keys)
        {
            foreach (string key in keys)
            {
                value = ((Dictionary<string, object>)value)[key];
            }
            return value;
        }

        private object ReadValue()
        {
            SkipWhitespace();
            if (position >= text.Length)
            {
                throw Error("a value");
            }
            char c = text[position];
            switch (c)
            {
                case '{':
                    return ReadObject();
                case '[':
                    return ReadArray();
                case '"':
                    return ReadString();
                case 't':
                    return ReadWord("true", true);
                case 'f':
                    return ReadWord("false", false);
                case 'n':
                    return ReadWord("null", null);
                default:
                    return ReadNumber();
            }
        }

        private Dictionary<string, object> ReadObject()
        {
            Dictionary<string, object> result = new Dictionary<string, object>();
            position++;
            SkipWhitespace();
            if (TryConsume('}'))
            {
                return result;
            }
            do
            {
                SkipWhitespace();
                string key = ReadString();
                SkipWhitespace();
                Expect(':');
                result[key] = ReadValue();
                SkipWhitespace();
            }
            while (TryConsume(','));
            Expect('}');
            return result;
        }

        private List<object> ReadArray()
        {
            List<object> result = new List<object>();
            position++;
            SkipWhitespace();
            if (TryConsume(']'))
            {
                return result;
            }
            do
            {
                result.Add(ReadValue());
                SkipWhitespace();
            }
            while (TryConsume(','));
            Expect(']');
            return result;
        }

        private string ReadString()
        {
            Expect('"');
            StringBuilder result = new StringBuilder();
            while (true)
            {
                if (position >= text.Length)
                {
                    throw Error("the end of the string");
                }
                char c = text[position++];
                if (c == '"')
                {
                    return result.ToString();
                }
                if (c != '\\')
                {
                    result.Append(c);
                    continue;
                }
                char escape = text[position++];
                switch (escape)
                {
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'n': result.Append('\n'); break;
                    case 'r': result.Append('\r'); break;
                    case 't': result.Append('\t'); break;
                    case 'u':
                        result.Append((char)int.Parse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        position += 4;
                        break;
                    default: result.Append(escape); break;
                }
            }
        }

        private object ReadWord(string word, object value)
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0)
            {
                throw Error(word);
            }
            position += word.Length;
            return value;
        }

        private double ReadNumber()
        {
            int start = position;
            while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
            {
                position++;
            }
            double number;
            if (!double.TryParse(text.Substring(start, position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            {
                throw Error("a number");
            }
            return number;
        }

        private void SkipWhitespace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private bool TryConsume(char c)
        {
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Error("'" + c + "'");
            }
        }

        private FormatException Error(string expected)
        {
            return new FormatException(string.Format(CultureInfo.InvariantCulture, "JSON: expected {0} at offset {1}", expected, position));
        }
    }
}
