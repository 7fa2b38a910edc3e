from sandbox.emulator.errors import bad_request
from sandbox.emulator.limits import check_callback_answer_text
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState


@bot_method("answerCallbackQuery")
async def answer_callback_query(state: EmulatorState, params: Params) -> bool:
    query = state.find_query(state.callback_queries, params.require_str("callback_query_id"))
    text = params.get_str("text")
    check_callback_answer_text(text)
    query.resolve(
        {
            "text": text,
            "show_alert": params.get_bool("show_alert"),
            "url": params.get_str("url"),
        }
    )
    return True


@bot_method("answerPreCheckoutQuery")
async def answer_pre_checkout_query(state: EmulatorState, params: Params) -> bool:
    query = state.find_query(
        state.pre_checkout_queries, params.require_str("pre_checkout_query_id")
    )
    if not params.has("ok"):
        raise bad_request("ok is empty")
    ok = params.get_bool("ok")
    error_message = params.get_str("error_message")
    if not ok and not error_message:
        raise bad_request("ERROR_MESSAGE_EMPTY")
    query.resolve({"ok": ok, "error_message": error_message})
    return True
